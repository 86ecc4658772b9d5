namespace VendorPortal.Features.Forms.Workbooks;

/// <summary>
/// A problem found in an uploaded workbook, at a sheet and cell when it has one. Code names a UI string
/// "Xlsx_{Code}" (Japanese and English), Args fill it.
/// </summary>
public sealed record WorkbookProblem(string? Cell, string Code, params object[] Args)
{
    /// <summary>The row number for a cell like "D12" (0 when the problem is about the whole file).</summary>
    public int Row => Cell is null ? 0 : int.TryParse(new string(Cell.SkipWhile(char.IsLetter).ToArray()), out var r) ? r : 0;
}

public sealed class WorkbookException(WorkbookProblem problem) : Exception(problem.Code)
{
    public WorkbookProblem Problem { get; } = problem;
}
