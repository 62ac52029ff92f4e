using MarketSim.Model.Scenarios;

namespace MarketSim.Model.Tests.Scenarios;

/// <summary>Each malformed fixture must produce exactly the problem it was written for, at the right line.</summary>
public sealed class BadScenarioTests
{
    public static TheoryData<string, string, int, string, string, int> Cases => new()
    {
        // file, path, line, message part, hint part, problems in the file
        { "unknown-key.yaml", "providers[lab-a].pricing.markupp", 8, "unknown key 'markupp'", "did you mean 'markup'? allowed keys: markup, undercut", 1 },
        { "wrong-type.yaml", "providers[lab-a].cash", 7, "expected a number, got the string 'abc'", "write a number", 1 },
        { "quoted-number.yaml", "seed", 3, "expected a whole number, got the string '42'", "remove the quotes", 1 },
        { "ticks-too-large.yaml", "ticks", 4, "must be at most 3000000 (was 5000000)", "3000000 is the supported maximum", 1 },
        { "unknown-strategy.yaml", "providers[lab-a].strategy", 7, "unknown strategy 'undercutt'", "did you mean 'undercut'? allowed values: cost-plus, match, undercut, penetration, value-based, adaptive", 1 },
        { "missing-provider-id.yaml", "providers[0].id", 6, "missing required key 'id'", "add 'id:'", 1 },
        { "missing-name.yaml", "name", 2, "missing required key 'name'", "add 'name:'", 1 },
        { "quality-out-of-range.yaml", "providers[lab-a].models[a-frontier].quality", 12, "must be at most 1 (was 1.2)", "from 0 to 1", 1 },
        { "bad-date-format.yaml", "start", 3, "expected a date YYYY-MM-DD, got '2024/01/01'", "YYYY-MM-DD", 1 },
        { "not-a-calendar-date.yaml", "start", 3, "'2023-02-30' is not a calendar date", "day of the month", 1 },
        { "bad-id.yaml", "providers[lab a].id", 6, "'lab a' is not a valid id", "letters, digits", 1 },
        { "null-value.yaml", "providers[lab-a].minMargin", 7, "expected a number, got nothing", "remove the key where it is optional", 1 },
        { "providers-not-a-list.yaml", "providers", 5, "expected a list, got the string 'lab-a'", "'- item'", 1 },
        { "customers-too-many.yaml", "customers.count", 14, "must be at most 100000000 (was 200000000)", "100000000 is the supported maximum", 2 },   // and the memory budget
        { "block-size-too-small.yaml", "engine.blockSize", 18, "must be at least 64 (was 10)", "from 64 to 1000000", 1 },
        { "too-many-models.yaml", "providers[lab-a].models", 11, "must have at most 3 entries (has 4)", "3 is the supported maximum", 1 },
        { "no-segments.yaml", "customers.segments", 14, "must have at least one entry", "voice, nlp, healthcare, longtail", 1 },
        { "unknown-segment-key.yaml", "customers.segments.nlpp", 15, "unknown key 'nlpp'", "did you mean 'nlp'?", 1 },
        { "shares-not-summing.yaml", "customers.segments", 15, "segment shares must sum to 1 (they sum to 0.9)", "nlp 0.5 + voice 0.4 = 1", 1 },
        { "duplicate-provider-id.yaml", "providers[lab-a].id", 13, "duplicate provider id 'lab-a'", "already used on line 6", 1 },
        { "entrant-duplicate-id.yaml", "events[0].entrant.id", 21, "duplicate provider id 'lab-a'", "already used on line 6", 1 },
        { "duplicate-model-id.yaml", "providers[lab-a].models[a-frontier].id", 13, "duplicate model id 'a-frontier' in provider 'lab-a'", "already used on line 11", 1 },
        { "duplicate-tier.yaml", "providers[lab-a].models[a-other]", 13, "provider 'lab-a' has more than one mid model ('a-mid' and 'a-other')", "at most one model per tier", 1 },
        { "unknown-fleet-gpu.yaml", "providers[lab-a].fleet[0].gpu", 8, "unknown GPU 'H1000'", "did you mean 'H100'? known GPUs: A100, B200, H100, H200", 1 },
        { "empty-fleet.yaml", "providers[lab-a].fleet", 7, "provider 'lab-a' has no GPUs and no 'enters' date", "give it a fleet", 1 },
        { "eta-above-gpus.yaml", "providers[lab-a].models[a-frontier].parallelism.eta", 14, "eta must not exceed gpus (2) (was 2.5)", "at most N", 1 },
        { "table-curve-one-point.yaml", "gpus[X1].curve.points", 14, "a table curve needs at least 2 points (has 1)", "points:", 1 },
        { "table-curve-out-of-order.yaml", "gpus[X1].curve.points[1].date", 16, "point date 2024-01-01 is not after the previous point's date 2024-06-01", "increasing date order", 1 },
        { "exponential-curve-no-price.yaml", "gpus[X1].curve", 12, "an exponential curve needs a positive startPricePerHour", "startPricePerHour", 1 },
        { "event-both-at-and-tick.yaml", "events[0]", 18, "an event has both 'at' and 'tick'", "remove 'at' or 'tick'", 1 },
        { "event-no-time.yaml", "events[0]", 18, "an event needs 'at' (a date) or 'tick'", "at: YYYY-MM-DD", 1 },
        { "event-before-start.yaml", "events[0].at", 18, "event date 2023-12-31 is before the start (2024-01-01)", "from 2024-01-01 on", 1 },
        { "event-unknown-kind.yaml", "events[0].kind", 19, "unknown event kind 'price-cutt'", "did you mean 'price-cut'?", 1 },
        { "event-unknown-provider.yaml", "events[0].provider", 20, "unknown provider 'lab-b'", "known providers: lab-a", 1 },
        { "event-unknown-model.yaml", "events[0].model", 21, "unknown model 'a-mini' of provider 'lab-a'", "known models: a-frontier", 1 },
        { "event-undefined-segment.yaml", "events[0].segment", 20, "segment 'voice' is not defined in customers.segments", "defined segments: nlp", 1 },
        { "event-unknown-gpu.yaml", "events[0].gpu", 20, "unknown GPU 'Z9'", "known GPUs: A100, B200, H100, H200", 1 },
        { "price-cut-missing-fraction.yaml", "events[0].fraction", 18, "a price-cut event needs 'fraction'", "add 'fraction:'", 1 },
        { "price-cut-missing-provider.yaml", "events[0].provider", 18, "a price-cut event needs 'provider'", "add 'provider:'", 1 },
        { "price-cut-fraction-one.yaml", "events[0].fraction", 21, "a price-cut fraction must be between 0 and 1, both excluded (was 1)", "0.3 cuts it by 30 %", 1 },
        { "gpu-price-shock-missing-gpu.yaml", "events[0].gpu", 18, "a gpu-price-shock event needs 'gpu'", "add 'gpu:'", 1 },
        { "gpu-generation-missing-newgpu.yaml", "events[0].newGpu", 18, "a gpu-generation event needs 'newGpu'", "add 'newGpu:'", 1 },
        { "provider-entry-missing-entrant.yaml", "events[0].entrant", 18, "a provider-entry event needs 'entrant'", "add 'entrant:'", 1 },
        { "provider-exit-missing-provider.yaml", "events[0].provider", 18, "a provider-exit event needs 'provider'", "add 'provider:'", 1 },
        { "strategy-change-missing-strategy.yaml", "events[0].strategy", 18, "a strategy-change event needs 'strategy'", "add 'strategy:'", 1 },
        { "demand-shock-missing-factor.yaml", "events[0].factor", 18, "a demand-shock event needs 'factor'", "add 'factor:'", 1 },
        { "compression-factor-below-one.yaml", "events[0].factor", 20, "a compression-breakthrough factor must be at least 1 (was 0.5)", "2 doubles it", 1 },
        { "model-release-unknown-provider.yaml", "events[0].provider", 20, "unknown provider 'lab-z'", "known providers: lab-a (a model-release needs a provider of providers or the entrant of an earlier provider-entry event)", 1 },
        { "model-release-before-entry.yaml", "events[0].provider", 20, "unknown provider 'lab-c'", "known providers: lab-a (a model-release", 1 },
        { "model-release-duplicate-id.yaml", "events[0].release.id", 22, "provider 'lab-a' already has a model 'a-frontier'", "give the released model a new id (its models and earlier releases: a-frontier)", 1 },
        { "model-release-missing-release.yaml", "events[0].release", 18, "a model-release event needs 'release'", "add 'release:' (the released model", 1 },
        { "model-release-bad-efficiency.yaml", "events[0].release.efficiency", 23, "must be greater than 0 (was 0)", "use a value greater than 0 and at most 100", 1 },
        { "model-retirement-unknown-model.yaml", "events[0].model", 21, "provider 'lab-a' has no model 'a-2' at that date", "its models then: a-frontier", 1 },
        { "model-retirement-missing-model.yaml", "events[0].model", 18, "a model-retirement event needs 'model'", "add 'model:'", 1 },
        { "event-unused-field.yaml", "events[0].gpu", 22, "a price-cut event does not use 'gpu'", "remove it: a price-cut event takes provider, fraction, model, days", 1 },
        { "event-duplicate-id.yaml", "events[cut].id", 22, "duplicate event id 'cut'", "'cut' is already used on line 18", 1 },
        { "event-id-not-kebab.yaml", "events[Big_Cut].id", 18, "'Big_Cut' is not a kebab-case id", "lower-case letters and digits", 1 },
        { "start-far-future.yaml", "start", 3, "date 9999-12-31 is outside the supported range 1900-01-01 to 2999-12-31", "use a date of the simulated market", 1 },
        { "syntax-error.yaml", "", 3, "YAML syntax error", "indentation", 1 },
        { "duplicate-yaml-key.yaml", "", 4, "duplicate key 'ticks'", "remove or merge", 1 },
        { "empty.yaml", "", 1, "the file is empty", "name, providers and customers", 1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixture_reports_its_problem(string file, string path, int line, string message, string hint, int count)
    {
        var result = ScenarioLoader.Load(Fixtures.Bad(file));

        Assert.False(result.Ok);
        Assert.Null(result.Scenario);
        Assert.Equal(count, result.Problems.Count);
        var problem = Assert.Single(result.Problems, p => p.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal(Fixtures.Bad(file), problem.File);
        Assert.Equal(path, problem.Path);
        Assert.Equal(line, problem.Line);
        Assert.True(problem.Column >= 1, $"column of {problem}");
        Assert.Contains(hint, problem.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_fixture_has_a_case()
    {
        var covered = Cases.Select(c => (string)c[0]).ToHashSet();
        var files = Directory.GetFiles(Fixtures.BadDirectory, "*.yaml").Select(Path.GetFileName).ToList();

        Assert.True(files.Count >= 20, $"only {files.Count} fixtures");
        var uncovered = files.Except(covered).ToList();
        var missing = covered.Except(files).ToList();
        Assert.True(uncovered.Count == 0, "fixtures without a case: " + string.Join(", ", uncovered));
        Assert.True(missing.Count == 0, "cases without a fixture: " + string.Join(", ", missing));
    }

    [Fact]
    public void All_problems_of_a_file_are_reported_in_line_order()
    {
        var file = Fixtures.File("many-problems.yaml");

        var result = ScenarioLoader.Load(file);

        var expected = new (int Line, string Path, string Message)[]
        {
            (4, "ticks", "must be at most 3000000 (was 4000000)"),
            (7, "providers[lab-a].strategy", "unknown strategy 'cost-pluss'"),
            (8, "providers[lab-a].minMargin", "expected a number, got the string 'cheap'"),
            (14, "providers[lab-a].id", "duplicate provider id 'lab-a'"),
            (21, "customers.segments", "missing required key 'segments'"),
            (21, "customers.segmnts", "unknown key 'segmnts'"),
            (27, "events[0].provider", "unknown provider 'lab-q'"),
        };
        Assert.Equal(expected, result.Problems.Select(p => (p.Line, p.Path, p.Message)).ToArray());
        Assert.All(result.Problems, p => Assert.Equal(file, p.File));
    }
}
