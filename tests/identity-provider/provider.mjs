// A certified OpenID Connect provider (node oidc-provider) on loopback, for the sign-in tests: the pages sign in
// through it with the authorization code flow, and a case recording system takes client-credentials tokens from it.
//
// The test drives it by JSON lines on standard input, and it answers each with one line on standard output:
//   {"pagesClient": {...}, "accounts": {...}, "systems": {...}}  registers the service's clients and people (the pages'
//                                                                client with a secret, or with jwks: a certificate's key;
//                                                                "pagesClients": [...] for more than one)
//   {"accessTokenSeconds": N}                                     how long access tokens issued from now last
//   {"rotateKeys": true}                                          a new signing key signs from now; the old one is still published
// It first prints {"issuer": "http://127.0.0.1:PORT"}. Its state (sessions, grants) lives in memory, and a rebuild
// (new clients, people or keys) signs everyone out of it.
import http from 'node:http';
import readline from 'node:readline';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';

// The API the access tokens are for, with the one scope the pages ask for beside openid and profile.
const audience = process.env.AUDIENCE ?? 'api://croydon-audit';
const apiScope = 'audit';

let provider;
let issuer;
let accessTokenSeconds = 600;
let keys = [signingKey()];
let settings = { pagesClient: null, pagesClients: [], accounts: {}, systems: {} };

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

// The claims the service reads (roles, team, name), for a person by account id or a system by client id.
function claimsOf(token) {
  const who = token.accountId ? settings.accounts[token.accountId] : settings.systems[token.clientId]?.claims;
  if (!who) return undefined;
  const claims = { roles: who.roles ?? [] };
  if (who.team !== undefined) claims.team = who.team;
  if (who.name !== undefined) claims.name = who.name;
  return claims;
}

function configuration() {
  const clients = Object.entries(settings.systems).map(([clientId, system]) => ({
    client_id: clientId,
    client_secret: system.secret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
  }));
  for (const pages of [settings.pagesClient, ...(settings.pagesClients ?? [])].filter(Boolean)) {
    // The pages prove who they are by a secret, or by a certificate's key (its public JWK): a signed client assertion.
    const authentication = pages.jwks
      ? { jwks: pages.jwks, token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'RS256' }
      : { client_secret: pages.secret, token_endpoint_auth_method: 'client_secret_post' };
    clients.push({
      client_id: pages.clientId,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [pages.redirectUri],
      post_logout_redirect_uris: [pages.postLogoutRedirectUri],
      ...authentication,
    });
  }

  return {
    clients,
    jwks: { keys },
    cookies: { keys: ['croydon-audit-test-provider-cookie-key'] },
    claims: { openid: ['sub'], profile: ['name'] },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, name: settings.accounts[id]?.name ?? id }),
    }),
    // The service is a first-party client: people are not asked to consent to it.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid profile');
      grant.addResourceScope(audience, apiScope);
      await grant.save();
      return grant;
    },
    extraTokenClaims: (_ctx, token) => claimsOf(token),
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== audience) throw new Provider.errors.InvalidTarget();
          return { scope: apiScope, audience, accessTokenFormat: 'jwt', accessTokenTTL: accessTokenSeconds, jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    pkce: { required: () => true },
    ttl: { Session: 3600, Interaction: 600, Grant: 3600, IdToken: 600, AuthorizationCode: 60, ClientCredentials: 600 },
  };
}

function rebuild() {
  provider = new Provider(issuer, configuration());
  // Warnings about development-only interactions and in-memory storage are expected here; keep stdout for answers.
  provider.on('server_error', (_ctx, error) => console.error(`provider: ${error.stack}`));
}

const server = http.createServer((request, response) => provider.callback()(request, response));
server.listen(0, '127.0.0.1', () => {
  issuer = `http://127.0.0.1:${server.address().port}`;
  rebuild();
  console.log(JSON.stringify({ issuer }));
});

for await (const line of readline.createInterface({ input: process.stdin })) {
  try {
    const command = JSON.parse(line);
    // Read as each access token is issued: no rebuild.
    if (command.accessTokenSeconds) accessTokenSeconds = command.accessTokenSeconds;
    if (command.rotateKeys || command.pagesClient || command.pagesClients || command.accounts || command.systems) {
      if (command.rotateKeys) keys = [signingKey(), ...keys];
      settings = { ...settings, ...command };
      rebuild();
    }
    console.log(JSON.stringify({ done: true, signingKey: keys[0].kid }));
  } catch (error) {
    console.log(JSON.stringify({ error: String(error) }));
  }
}
server.close();
