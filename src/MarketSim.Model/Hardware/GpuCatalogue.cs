using MarketSim.Model.Scenarios;

namespace MarketSim.Model.Hardware;

/// <summary>
/// The GPU types every scenario knows without declaring them. A scenario's <c>gpus:</c> list adds types or replaces
/// these by id. Every figure and its source is tabled in docs/MODEL.md ("Built-in GPU catalogue").
/// </summary>
/// <remarks>
/// <para><b>TokensPerSecond</b> is the ideal per-GPU output throughput for the reference model: 70B parameters at
/// FP8 (compression ratio R = 2), with per-GPU efficiency eta / N = 1. The engine scales it for a model as
/// <c>TokensPerSecond * (70 / parametersB) * (R / 2) * (eta / N)</c>. The figures come from NVIDIA's TensorRT-LLM
/// performance overview for Llama-3.3-70B (the serving table of /work/shared/MODEL.md):</para>
/// <list type="bullet">
/// <item>H100 SXM: TP2, FP8, 6378 tokens/s for the pair, so 6378 / 2 = 3189, rounded to 3190. Measured at TP2
/// because 70 GB of FP8 weights plus KV cache do not fit one 80 GB card; TP2 is therefore the reference
/// configuration (a scenario serving a 70B model on H100 writes N = 2, eta = 2, or leaves N = 1, eta = 1: both give
/// eta / N = 1).</item>
/// <item>H200: TP1, FP8, 3803 tokens/s, taken as is.</item>
/// <item>B200: TP1, FP4 (R = 4), 11147 tokens/s. The engine's throughput is linear in R, so the R = 2 figure that
/// reproduces the benchmark when a model is served at FP4 is 11147 / 2 = 5574. Real FP8-to-FP4 gains on Blackwell
/// are usually below 2x, so this understates B200 at FP8 and is exact at FP4, the precision B200 is bought for.</item>
/// <item>A100 80GB has no FP8. Its FP16 throughput like-for-like against H100 FP8 on the same TensorRT-LLM release
/// (v0.6.1 performance table) is 0.28x for LLaMA-7B at TP1 (5586 vs 19694 tokens/s) and about 0.39x for LLaMA-70B
/// once the TP4 A100 figure (670) is put on the TP2 footing of the H100 figure (2657) with the 65 % TP4/TP2
/// per-GPU efficiency; the mean, 0.33, gives 3190 * 0.33 = 1050 tokens/s at FP16. An A100 reaches R = 2 with
/// INT8 (SmoothQuant W8A8: up to 1.56x over FP16), taken as 1.45x: 1050 * 1.45 = 1520, rounded to 1500. This is an
/// estimate, not a measurement; a model served at FP16 on A100 (R = 1) gets 750 by the engine's linear R.</item>
/// </list>
/// <para><b>Rental prices</b> (US$ per GPU-hour): H100 is a dated table from the rental figures of MODEL.md (about
/// $4.70 at cloud launch in March 2023, a shortage peak above $8 in mid-2023, under $2 in late 2024, $1.70-2.35 in
/// 2025-26, rising again into 2026). The others decline exponentially with the Epoch AI price-performance halving
/// time for ML GPUs (2.07 years), from a launch price, to a floor at the low end of the May 2026 on-demand range.</para>
/// <para>Power draw is the vendor's SXM board power. Memory is per GPU as in the benchmark hardware (B200: 180 GB in
/// DGX B200).</para>
/// </remarks>
public static class GpuCatalogue
{
    /// <summary>Reference model size, billions of parameters, that <see cref="GpuSpec.TokensPerSecond"/> refers to.</summary>
    public const double ReferenceParametersB = 70;

    /// <summary>Reference compression ratio (FP16 to FP8) that <see cref="GpuSpec.TokensPerSecond"/> refers to.</summary>
    public const double ReferenceCompressionRatio = 2;

    /// <summary>
    /// The built-in GPU types, by id: A100 (SXM 80GB), H100 (SXM 80GB), H200 (SXM 141GB), B200 (180GB).
    /// Each read returns fresh instances, so a scenario that edits its copy never changes another run's catalogue.
    /// </summary>
    public static IReadOnlyList<GpuSpec> BuiltIn => [A100(), H100(), H200(), B200()];

    /// <summary>The built-in GPU type with this id (case-insensitive), or null.</summary>
    public static GpuSpec? Find(string id) =>
        BuiltIn.FirstOrDefault(g => string.Equals(g.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>NVIDIA A100 SXM 80GB.</summary>
    private static GpuSpec A100() => new()
    {
        Id = "A100",
        // Announced and shipping in HGX systems from November 2020 (vendor).
        Launch = new DateOnly(2020, 11, 16),
        MemoryGb = 80,
        PowerWatts = 400,
        // Estimate: FP16 at 0.33x H100 FP8, times 1.45 for INT8 (R = 2); see the class remarks.
        TokensPerSecond = 1500,
        Curve = new CostCurveSpec
        {
            Kind = "exponential",
            // AWS p4d launch list price, $32.77/h for 8 A100s (press), about $4.10 per GPU-hour.
            StartPricePerHour = 4.10,
            // Epoch AI: ML GPU price-performance doubles every 2.07 years.
            HalfLifeYears = 2.07,
            // Near the low end of the May 2026 on-demand range for A100 80GB ($0.80-3.00), where its cost per token
            // (1.00 / 1500) meets the H100's of 2025-26 (about 2.10 / 3190): rental markets price old GPUs by
            // throughput, so an A100 does not stay cheaper per token than its successor for long.
            FloorPricePerHour = 1.00,
        },
    };

    /// <summary>NVIDIA H100 SXM 80GB.</summary>
    private static GpuSpec H100() => new()
    {
        Id = "H100",
        // In full production with partner systems shipping from October 2022 (vendor); cloud rental from March 2023.
        Launch = new DateOnly(2022, 10, 1),
        MemoryGb = 80,
        PowerWatts = 700,
        // TensorRT-LLM, Llama-3.3-70B, TP2, FP8: 6378 tokens/s for two GPUs.
        TokensPerSecond = 3190,
        Curve = new CostCurveSpec
        {
            Kind = "table",
            // Floor is not reached by the table; kept at the lowest observed 2025-26 price for other kinds' sake.
            FloorPricePerHour = 1.70,
            Points =
            [
                // About $4.70/h at cloud launch (Latent Space, E. Cheah).
                new PricePoint { Date = new DateOnly(2023, 3, 1), Price = 4.70 },
                // Shortage peak above $8/h in mid-2023 (same source); the date is a modelling choice.
                new PricePoint { Date = new DateOnly(2023, 8, 1), Price = 8.20 },
                // Under $2/h by late 2024 (Latent Space; SemiAnalysis via press).
                new PricePoint { Date = new DateOnly(2024, 10, 1), Price = 1.95 },
                // $1.70 to $2.35 through 2025-26 (SemiAnalysis via press): a trough, then a rise.
                new PricePoint { Date = new DateOnly(2025, 6, 1), Price = 1.75 },
                new PricePoint { Date = new DateOnly(2026, 1, 1), Price = 2.10 },
                new PricePoint { Date = new DateOnly(2026, 5, 1), Price = 2.30 },
            ],
        },
    };

    /// <summary>NVIDIA H200 SXM 141GB.</summary>
    private static GpuSpec H200() => new()
    {
        Id = "H200",
        // Shipping from Q2 2024, broad cloud availability by mid-2024 (vendor, press); the day is a modelling choice.
        Launch = new DateOnly(2024, 7, 1),
        MemoryGb = 141,
        PowerWatts = 700,
        // TensorRT-LLM, Llama-3.3-70B, TP1, FP8.
        TokensPerSecond = 3803,
        Curve = new CostCurveSpec
        {
            Kind = "exponential",
            // Modelling choice: a launch premium of about 1.3-1.4x over the H100 of the day at a comparable age.
            StartPricePerHour = 4.00,
            HalfLifeYears = 2.07,
            // Low end of the May 2026 on-demand range for H200 ($2.50-7.00).
            FloorPricePerHour = 2.50,
        },
    };

    /// <summary>NVIDIA B200 180GB (DGX B200).</summary>
    private static GpuSpec B200() => new()
    {
        Id = "B200",
        // Cloud availability from early 2025 (press); the day is a modelling choice.
        Launch = new DateOnly(2025, 2, 1),
        MemoryGb = 180,
        PowerWatts = 1000,
        // TensorRT-LLM, Llama-3.3-70B, TP1, FP4: 11147 tokens/s at R = 4, so 11147 / 2 at the R = 2 reference.
        TokensPerSecond = 5574,
        Curve = new CostCurveSpec
        {
            Kind = "exponential",
            // Modelling choice: $5.00 at launch puts the curve at about $3.30 in May 2026, inside the brief's range
            // ($2.25 spot to $6-8 on-demand) and on the same market (not list) footing as the H100 table. At the same
            // R a B200 token then costs about as much as an H100 token in early 2026 and 20 % less by May 2026.
            StartPricePerHour = 5.00,
            HalfLifeYears = 2.07,
            // About $2.25/h spot in May 2026.
            FloorPricePerHour = 2.25,
        },
    };
}
