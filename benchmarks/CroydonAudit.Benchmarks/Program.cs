using BenchmarkDotNet.Running;
using CroydonAudit.Benchmarks;

var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args).ToList();
Console.WriteLine();
foreach (var line in TargetReport.Check(summaries))
{
    Console.WriteLine(line);
}
