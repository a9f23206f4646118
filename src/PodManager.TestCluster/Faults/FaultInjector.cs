using PodManager.TestCluster.ApiServer;
using PodManager.TestCluster.ApiServer.Registry.Pods;

namespace PodManager.TestCluster.Faults;

/// <summary>The active fault rules, each consumed by the requests (or log streams) it matches.</summary>
internal sealed class FaultInjector
{
    private readonly Lock gate = new();
    private readonly List<ActiveRule> rules = [];

    /// <summary>Adds a rule, or throws a 400 for one that cannot work.</summary>
    public void Add(FaultRule rule)
    {
        var problem = rule switch
        {
            { Count: < 1 } => "count must be at least 1",
            { Kind: FaultRule.StatusKind, Status: null or < 100 or > 599 } => "a status fault needs a status between 100 and 599",
            { Kind: FaultRule.CutLogStreamsKind, AfterLines: null or < 0 } => "a cutLogStreams fault needs afterLines",
            { Kind: FaultRule.DelayKind, Milliseconds: null or < 0 } => "a delay fault needs milliseconds",
            { Kind: not (FaultRule.StatusKind or FaultRule.DropResponseKind or FaultRule.CutLogStreamsKind or FaultRule.DelayKind or FaultRule.HoldLogStreamsKind) } =>
                $"unknown fault kind \"{rule.Kind}\"; use status, dropResponse, cutLogStreams, delay or holdLogStreams",
            _ => null,
        };
        if (problem is not null)
        {
            throw ApiErrors.BadRequest(problem);
        }

        lock (gate)
        {
            rules.Add(new ActiveRule(rule, PathPattern.Parse(rule.Path)));
        }
    }

    /// <summary>The rules still active, each with the uses it has left, in the order they were added: a test reads
    /// it to know that a fault it aimed did strike (a rule nothing matched keeps all its uses).</summary>
    public IReadOnlyList<ActiveFault> Snapshot()
    {
        lock (gate)
        {
            return [.. rules.Select(r => new ActiveFault(r.Rule, r.Remaining))];
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            rules.Clear();
        }
    }

    /// <summary>Consumes the delay, status and drop rules that match a request, in the order they were added.</summary>
    public List<FaultRule> TakeFor(string method, string path)
    {
        lock (gate)
        {
            var taken = new List<FaultRule>();
            foreach (var active in rules.Where(r => r.Rule.Kind is not (FaultRule.CutLogStreamsKind or FaultRule.HoldLogStreamsKind) && r.Matches(method, path)).ToList())
            {
                taken.Add(active.Rule);
                Consume(active);
            }

            return taken;
        }
    }

    /// <summary>The cut for the log stream about to start at <paramref name="path"/>, if a cutLogStreams rule matching it is active.</summary>
    public LogCut? TakeLogCut(string path) => Take(FaultRule.CutLogStreamsKind, path) is { } rule ? new LogCut(rule.AfterLines ?? 0, rule.Abort) : null;

    /// <summary>Whether the followed log stream about to start at <paramref name="path"/> stays open after the end, if a
    /// holdLogStreams rule matching it is active.</summary>
    public bool TakeLogHold(string path) => Take(FaultRule.HoldLogStreamsKind, path) is not null;

    /// <summary>Consumes one use of the first rule of <paramref name="kind"/> that matches a log request (a GET) of
    /// <paramref name="path"/>: a rule aimed at one pod's log never cuts another pod's.</summary>
    private FaultRule? Take(string kind, string path)
    {
        lock (gate)
        {
            if (rules.FirstOrDefault(r => r.Rule.Kind == kind && r.Matches("GET", path)) is not { } active)
            {
                return null;
            }

            Consume(active);
            return active.Rule;
        }
    }

    private void Consume(ActiveRule active)
    {
        if (--active.Remaining == 0)
        {
            rules.Remove(active);
        }
    }

    private sealed class ActiveRule(FaultRule rule, PathPattern? path)
    {
        public FaultRule Rule { get; } = rule;

        public int Remaining { get; set; } = rule.Count;

        public bool Matches(string method, string requestPath) =>
            (Rule.Method is null or "*" || string.Equals(Rule.Method, method, StringComparison.OrdinalIgnoreCase))
            && (path is null || path.Matches(requestPath));
    }
}
