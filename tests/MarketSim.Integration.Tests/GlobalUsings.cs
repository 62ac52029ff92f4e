global using Xunit;
global using MarketSim.Model.Engine;
global using MarketSim.Model.Scenarios;
