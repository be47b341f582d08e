global using FluentAssertions;
global using Sarcostat.Registry.Model;
global using Sarcostat.Registry.Tests;
global using Xunit;
