namespace PodManager.TestCluster.ContainerRuntime;

/// <summary>File modes; the cluster only runs on Linux, the guard keeps the platform analyzer content.</summary>
internal static class UnixFiles
{
    public const UnixFileMode WorldWritable = (UnixFileMode)0b110_110_110;
    public const UnixFileMode WorldWritableDirectory = (UnixFileMode)0b111_111_111;
    public const UnixFileMode Executable = (UnixFileMode)0b111_101_101;
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }
}
