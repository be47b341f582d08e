global using FluentAssertions;
global using Sarcostat.Registry.Model;
global using Xunit;
