namespace Sarcostat.Registry.Services;

/// <summary>
/// How far a long piece of work (an import's commit, a protocol run) has come, as its user is shown it: what it is
/// doing now and step <see cref="Step"/> of <see cref="Of"/>. Never carries patient data (counts and stage names only).
/// </summary>
/// <param name="Stage">What it is doing, in words (<c>Writing patients: 12 of 40</c>).</param>
/// <param name="Step">Steps done, 0 to <see cref="Of"/>.</param>
/// <param name="Of">Steps in all; 0 while the amount of work is not known yet (a bar without a value).</param>
public readonly record struct WorkProgress(string Stage, int Step, int Of);
