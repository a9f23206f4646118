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

    /// <summary>The cut for the log stream about to start, if a cutLogStreams rule is active.</summary>
    public LogCut? TakeLogCut() => Take(FaultRule.CutLogStreamsKind) is { } rule ? new LogCut(rule.AfterLines ?? 0, rule.Abort) : null;

    /// <summary>Whether the followed log stream about to start stays open after the end, if a holdLogStreams rule is active.</summary>
    public bool TakeLogHold() => Take(FaultRule.HoldLogStreamsKind) is not null;

    private FaultRule? Take(string kind)
    {
        lock (gate)
        {
            if (rules.FirstOrDefault(r => r.Rule.Kind == kind) is not { } active)
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
