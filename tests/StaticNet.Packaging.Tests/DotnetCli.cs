using System.Diagnostics;
using System.Text;

namespace StaticNet.Packaging.Tests;

/// <summary>The outcome of one child process, with everything needed for an assertion message.</summary>
public sealed record ProcessResult(string CommandLine, string WorkingDirectory, int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    public string Output => StandardOutput + StandardError;

    public string Describe() =>
        $"`{CommandLine}` in {WorkingDirectory} exited with {ExitCode} after {Elapsed.TotalSeconds:F1} s" +
        $"{Environment.NewLine}--- stdout ---{Environment.NewLine}{StandardOutput}" +
        $"--- stderr ---{Environment.NewLine}{StandardError}";
}

/// <summary>Runs the <c>dotnet</c> CLI as a child process with a timeout.</summary>
internal static class DotnetCli
{
    /// <summary>The dotnet host running these tests (the SDK sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    public static readonly string DotnetPath = FindDotnet();

    public static ProcessResult Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, params string[] arguments) =>
        ProcessRunner.Run(DotnetPath, workingDirectory, environment, timeout, arguments);

    private static string FindDotnet()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return current;
        return "dotnet";
    }
}

/// <summary>Runs a program as a child process with a timeout, in the environment the dotnet CLI children get.</summary>
internal static class ProcessRunner
{
    public static ProcessResult Run(string fileName, string workingDirectory, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);

        // `dotnet test` runs us under MSBuild-provided variables (MSBuildExtensionsPath,
        // MSBuildSDKsPath, ...) that would point a nested build at the outer build's state.
        foreach (string key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)) start.Environment.Remove(key);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_GENERATE_ASPNET_CERTIFICATE"] = "false";
        // No long-lived MSBuild nodes, MSBuild server or compiler server: they would outlive the
        // child, keep its output pipes open, and leak state between runs.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        if (environment is not null)
        {
            foreach ((string key, string value) in environment) start.Environment[key] = value;
        }

        string name = fileName == DotnetCli.DotnetPath ? "dotnet" : fileName;
        string commandLine = string.Join(' ', new[] { name }.Concat(arguments).Select(a => a.Contains(' ') ? $"\"{a}\"" : a));
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        bool exited = process.WaitForExit(timeout);
        if (!exited)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        // Let the asynchronous readers drain, without hanging on a grandchild holding a pipe.
        Task.Run(() => process.WaitForExit()).Wait(TimeSpan.FromSeconds(10));
        clock.Stop();

        string o, e2;
        lock (stdout) o = stdout.ToString();
        lock (stderr) e2 = stderr.ToString();
        var result = new ProcessResult(commandLine, workingDirectory, exited ? process.ExitCode : -1, o, e2, clock.Elapsed);
        if (!exited)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s and killed. {result.Describe()}");
        }
        return result;
    }

    /// <summary>The full path of <paramref name="program"/> in a folder of PATH, or null.</summary>
    public static string? FindOnPath(string program)
    {
        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(folder, program);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
