using System.CommandLine;
using CroydonAudit.Cli.Commands;

var root = new RootCommand("CroydonAudit from the command line: check, compare, preview and activate grading rules; make a local token; fill a benchmark database.")
{
    RulesCommands.Create(),
    TokenCommand.Create(),
    StoreCommands.Create(),
};
return await root.Parse(args).InvokeAsync();
