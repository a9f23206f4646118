using System.Security.Cryptography;

namespace PodManager.TestCluster.ApiServer.Registry;

/// <summary>generateName: the base cut to 58 characters plus 5 random characters (apiserver/pkg/storage/names).</summary>
internal static class NameGenerator
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
    private const int MaxBaseLength = 63 - 5;

    public static string Generate(string baseName)
    {
        var prefix = baseName.Length > MaxBaseLength ? baseName[..MaxBaseLength] : baseName;
        return prefix + RandomNumberGenerator.GetString(Alphabet, 5);
    }
}
