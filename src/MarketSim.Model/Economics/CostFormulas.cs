namespace MarketSim.Model.Economics;

/// <summary>
/// The provider cost equations of the source article, each once, named as the article names them.
/// See docs/MODEL.md for the derivation and the defaults.
/// </summary>
public static class CostFormulas
{
    /// <summary>Compute cost over a period: <c>C = Cp * P + Ce * E</c>.</summary>
    /// <param name="Cp">Cost of the computing resources for the period (GPU-hours times the hourly price), US$.</param>
    /// <param name="P">Billed share of those resources: 1 for reserved capacity (idle hours are paid too), the
    /// utilisation for on-demand capacity.</param>
    /// <param name="Ce">Electricity price, US$ per kWh.</param>
    /// <param name="E">Energy used in the period, kWh.</param>
    public static double ComputeCost(double Cp, double P, double Ce, double E) => Cp * P + Ce * E;

    /// <summary>Billed share <c>P</c> of a fleet with a reserved share: reserved GPUs are paid whether used or
    /// not, on-demand GPUs only while used.</summary>
    public static double BilledShare(double reservedShare, double utilisation) =>
        reservedShare + (1 - reservedShare) * utilisation;

    /// <summary>Idle GPUs still draw this share of their rated power.</summary>
    public const double IdlePowerShare = 0.3;

    /// <summary>Energy <c>E</c> in kWh: GPU-hours x rated power x load-dependent draw x PUE.</summary>
    public static double Energy(double gpuHours, double powerWatts, double utilisation, double pue) =>
        gpuHours * powerWatts / 1000.0 * (IdlePowerShare + (1 - IdlePowerShare) * utilisation) * pue;

    /// <summary>Compression ratio <c>R = V_original / V_compressed</c>.</summary>
    public static double CompressionRatio(double V_original, double V_compressed) => V_original / V_compressed;

    /// <summary>Distributed efficiency <c>eta = T_single / T_distributed</c>.</summary>
    public static double DistributedEfficiency(double T_single, double T_distributed) => T_single / T_distributed;

    /// <summary>Per-GPU efficiency of a replica spread over N GPUs: <c>eta / N</c>.</summary>
    public static double PerGpuEfficiency(double eta, int N) => eta / N;

    /// <summary>Reference model of the GPU throughput figures: 70B parameters at FP8 (R = 2).</summary>
    public const double ReferenceParametersB = 70;
    public const double ReferenceCompressionRatio = 2;

    /// <summary>Output tokens per second per GPU for a model: the GPU's ideal reference throughput scaled by
    /// model size, by the compression ratio R (a compressed model moves fewer bytes per token) and by eta / N.</summary>
    public static double TokensPerSecondPerGpu(double gpuReferenceTokensPerSecond, double parametersB, double R, double eta, int N) =>
        gpuReferenceTokensPerSecond * (ReferenceParametersB / parametersB) * (R / ReferenceCompressionRatio) * PerGpuEfficiency(eta, N);

    /// <summary>Quality after compressing by a further factor: loses <paramref name="lossPerHalving"/> per halving.</summary>
    public static double QualityAfterCompression(double quality, double factor, double lossPerHalving) =>
        Math.Max(0, quality * (1 - lossPerHalving * Math.Log2(factor)));

    /// <summary>Hourly cost of one GPU at a utilisation: <c>C</c> for one GPU-hour.</summary>
    public static double HourlyGpuCost(double rentalPerHour, double reservedShare, double utilisation,
        double electricityPerKwh, double powerWatts, double pue) =>
        ComputeCost(rentalPerHour, BilledShare(reservedShare, utilisation), electricityPerKwh,
            Energy(1, powerWatts, utilisation, pue));

    /// <summary>Unit cost per million tokens = compute cost of the period / tokens served in the period
    /// (both per GPU-hour here).</summary>
    public static double ServingCostPerMillionTokens(double hourlyGpuCost, double tokensPerSecondPerGpu, double utilisation) =>
        hourlyGpuCost / (tokensPerSecondPerGpu * 3600 * utilisation / 1e6);

    /// <summary>Training cost amortised linearly by months: the daily charge (30.44 days a month).</summary>
    public static double TrainingCostPerDay(double trainingCost, double amortisationMonths) =>
        amortisationMonths <= 0 ? 0 : trainingCost / (amortisationMonths * DaysPerMonth);

    /// <summary>The daily training charge <paramref name="daysSinceLaunch"/> days after the model's launch: the
    /// linear charge while within its amortisation months, nothing after (MODEL.md section 5).</summary>
    public static double TrainingCostPerDay(double trainingCost, double amortisationMonths, double daysSinceLaunch) =>
        daysSinceLaunch < amortisationMonths * DaysPerMonth ? TrainingCostPerDay(trainingCost, amortisationMonths) : 0;

    /// <summary>Mean days in a month (365.25 / 12, rounded), the one month length of the model.</summary>
    public const double DaysPerMonth = 30.44;
}
