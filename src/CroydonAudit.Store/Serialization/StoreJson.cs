using System.Text.Json.Serialization;
using CroydonAudit.Grading.Domain;

namespace CroydonAudit.Store.Serialization;

/// <summary>
/// How submissions and results are kept as json: snake_case, enums by name, so a person reading the
/// database sees "RequiresImprovement", not 3. Source-generated: no reflection on the hot path.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(AuditSubmission))]
[JsonSerializable(typeof(GradingResult))]
internal sealed partial class StoreJson : JsonSerializerContext;
