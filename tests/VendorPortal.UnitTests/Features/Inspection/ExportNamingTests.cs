using VendorPortal.Features.Inspection.Export;

namespace VendorPortal.UnitTests.Features.Inspection;

public sealed class ExportNamingTests
{
    // 2026-11-20 23:30 UTC is 2026-11-21 in Japan: the file is dated by the JST day.
    private static readonly DateTimeOffset Generated = new(2026, 11, 20, 23, 30, 0, TimeSpan.Zero);

    [Fact]
    public void A_fiscal_year_export_is_named_by_hospital_year_and_JST_day()
        => Assert.Equal("立入検査資料_中央総合病院_2026年度_20261121.zip",
            InspectionExportNaming.DownloadName("中央総合病院", 2026, null, null, Generated));

    [Fact]
    public void A_range_export_names_its_first_and_last_day()
        => Assert.Equal("立入検査資料_中央総合病院_20260401-20260930_20261121.zip",
            InspectionExportNaming.DownloadName("中央総合病院", null, new DateOnly(2026, 4, 1), new DateOnly(2026, 9, 30), Generated));

    [Theory]
    [InlineData("医療法人 さくら会／さくら病院", "医療法人_さくら会／さくら病院")]
    [InlineData("A/B\\C:D*E?F\"G<H>I|J", "A_B_C_D_E_F_G_H_I_J")]
    [InlineData("  中央\t\n病院　本院  ", "中央_病院_本院")]
    [InlineData("...", "病院")]
    [InlineData("", "病院")]
    public void Characters_a_file_system_refuses_are_replaced(string name, string expected)
        => Assert.Equal(expected, InspectionExportNaming.Sanitize(name));

    [Fact]
    public void A_very_long_name_is_cut()
        => Assert.Equal(80, InspectionExportNaming.Sanitize(new string('病', 200)).Length);
}
