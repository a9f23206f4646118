using System.Collections;
using System.Reflection;

namespace PodManager.Engine.Tests;

/// <summary>
/// Every string reachable from an object through its public properties, fields and items, as a serializer
/// such as ConvertTo-Json walks it; reflection metadata (TargetSite, types) is skipped, it holds no data.
/// </summary>
internal static class ObjectGraph
{
    public static List<string> Strings(object? root, int maxDepth = 10)
    {
        var found = new List<string>();
        Walk(root, 0, maxDepth, found, new HashSet<object>(ReferenceEqualityComparer.Instance));
        return found;
    }

    private static void Walk(object? value, int depth, int maxDepth, List<string> found, HashSet<object> seen)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                found.Add(text);
                return;
            case MemberInfo or Assembly or Module or Delegate or Stream or CancellationToken or WaitHandle:
                return;
        }

        var type = value.GetType();
        if (type.IsPrimitive || type.IsEnum || value is decimal or DateTime or DateTimeOffset or TimeSpan or Guid or Uri)
        {
            found.Add(value.ToString() ?? "");
            return;
        }

        if (depth >= maxDepth || (!type.IsValueType && !seen.Add(value)))
        {
            return;
        }

        if (value is IEnumerable items)
        {
            foreach (var item in items)
            {
                Walk(item, depth + 1, maxDepth, found, seen);
            }
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            object? child;
            try
            {
                child = property.GetValue(value);
            }
            catch (TargetInvocationException)
            {
                continue;
            }

            Walk(child, depth + 1, maxDepth, found, seen);
        }

        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            Walk(field.GetValue(value), depth + 1, maxDepth, found, seen);
        }
    }
}
