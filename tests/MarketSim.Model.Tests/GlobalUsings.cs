global using Xunit;
global using MarketSim.Model;
global using MarketSim.Model.Economics;
global using MarketSim.Model.Engine;
global using MarketSim.Model.Scenarios;
