using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Sarcostat.Registry.Migrations.Postgres
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
                type: "integer",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "integer");

            migrationBuilder.AddColumn<string>(
                name: "Role",
                table: "ApiTokens",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "SiteDataManager"); // Hand-set: every token before this migration was a site token.

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "text", nullable: true),
                    Xml = table.Column<string>(type: "text", nullable: true)
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
                type: "integer",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "integer",
                oldNullable: true);
        }
    }
}
