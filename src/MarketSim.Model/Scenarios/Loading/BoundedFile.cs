using System.Runtime.InteropServices;
using System.Text;

namespace MarketSim.Model.Scenarios.Loading;

/// <summary>Reads an input file within <see cref="ScenarioLimits.MaxFileBytes"/>: only a regular file (a folder,
/// a FIFO or a device such as /dev/zero is refused before it is opened), its size checked before reading.</summary>
public static class BoundedFile
{
    /// <summary>Why a file cannot be read, and how to fix it.</summary>
    public sealed record Refusal(string Message, string Hint);

    /// <summary>The file's text, or null with the reason in <paramref name="refusal"/>.</summary>
    public static string? Read(string path, out Refusal? refusal)
    {
        refusal = Check(path);
        if (refusal is not null) return null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var buffer = new byte[Math.Min(stream.Length, ScenarioLimits.MaxFileBytes) + 1];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = stream.Read(buffer, read, buffer.Length - read)) > 0) read += n;
            if (read > ScenarioLimits.MaxFileBytes)
            {
                refusal = TooLarge(read);
                return null;
            }
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, read).TrimStart('\ufeff');
        }
        catch (DecoderFallbackException)
        {
            refusal = new Refusal("the file is not UTF-8 text", "save the file as UTF-8");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            refusal = new Refusal($"cannot read the file: {e.Message}", "check the path and the file's permissions");
        }
        return null;
    }

    private static Refusal? Check(string path)
    {
        if (path.Length == 0 || path.Contains('\0'))
            return new Refusal("no file name", "name a .yaml file");
        if (Directory.Exists(path))
            return new Refusal("is a folder, not a file", "name a .yaml file inside it");
        if (!File.Exists(path))
            return new Refusal("file not found", $"check the path (relative paths start at {Environment.CurrentDirectory})");
        if (!IsRegularFile(path))
            return new Refusal("not a regular file (a device, pipe or socket)", "save the content to a file and name that file");
        var length = new FileInfo(path).Length;
        return length > ScenarioLimits.MaxFileBytes ? TooLarge(length) : null;
    }

    private static Refusal TooLarge(long length) =>
        new($"the file is larger than {ScenarioLimits.MaxFileBytes / (1024 * 1024)} MiB ({length:N0} bytes or more)",
            "a scenario is a few dozen KiB: check that this is the right file");

    /// <summary>True for a regular file (after following links). On Unix this asks stat(2) through the .NET runtime's
    /// own native library, since .NET reports a FIFO or a device as a normal file and opening a FIFO blocks.</summary>
    private static bool IsRegularFile(string path)
    {
        if (OperatingSystem.IsWindows()) return (File.GetAttributes(path) & (FileAttributes.Directory | FileAttributes.Device)) == 0;
        try
        {
            return Native.Stat(path, out var status) == 0 && (status.Mode & Native.TypeMask) == Native.RegularFile;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return true;
        }
    }

    private static class Native
    {
        public const int TypeMask = 0xF000;
        public const int RegularFile = 0x8000;

        /// <summary>The head of System.Native's FileStatus (Flags, Mode), padded beyond the structure's full size.</summary>
        [StructLayout(LayoutKind.Sequential, Size = 512)]
        public struct FileStatus
        {
            public int Flags;
            public int Mode;
        }

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
        public static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out FileStatus status);
    }
}
