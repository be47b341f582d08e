using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sarcostat.Registry.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TokenRolesAndKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<int>(
                name: "SiteId",
                table: "ApiTokens",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<string>(
                name: "Role",
                table: "ApiTokens",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "SiteDataManager"); // Hand-set: every token before this migration was a site token.

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FriendlyName = table.Column<string>(type: "TEXT", nullable: true),
                    Xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.AddCheckConstraint(
                name: "CK_ApiTokens_RoleSite",
                table: "ApiTokens",
                sql: "(\"Role\" = 'SiteDataManager' AND \"SiteId\" IS NOT NULL) OR (\"Role\" = 'Analyst' AND \"SiteId\" IS NULL)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.DropCheckConstraint(
                name: "CK_ApiTokens_RoleSite",
                table: "ApiTokens");

            migrationBuilder.DropColumn(
                name: "Role",
                table: "ApiTokens");

            // Hand-added: analyst tokens (no site) cannot exist in the older schema.
            migrationBuilder.Sql("DELETE FROM \"ApiTokens\" WHERE \"SiteId\" IS NULL;");

            migrationBuilder.AlterColumn<int>(
                name: "SiteId",
                table: "ApiTokens",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "INTEGER",
                oldNullable: true);
        }
    }
}
