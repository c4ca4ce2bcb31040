using System.CommandLine;
using CroydonAudit.Cli.Commands;

var root = new RootCommand("CroydonAudit from the command line: check, compare, preview and activate grading rules.")
{
    RulesCommands.Create(),
};
return await root.Parse(args).InvokeAsync();
