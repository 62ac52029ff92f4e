namespace MarketSim.Model.Engine;

/// <summary>The scenario's levers as the engine reads them (docs/MODEL.md section 16): which causes of price change
/// are switched off. The default, all false, is the market as written.</summary>
public readonly record struct Levers(bool HardwareFrozen, bool TechniqueFrozen, bool CompetitionOff, bool ScaleFrozen, bool EntryOff = false, bool ReleasesOff = false)
{
    public static Levers Of(LeverSettings? settings) => settings is null
        ? default
        : new(settings.Hardware == LeverSettings.Frozen, settings.Technique == LeverSettings.Frozen,
            settings.Competition == LeverSettings.Off, settings.Scale == LeverSettings.Frozen, settings.Entry == LeverSettings.Off,
            settings.Releases == LeverSettings.Off);
}
