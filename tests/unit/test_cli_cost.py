"""``ccinfra bom`` and ``ccinfra cost`` through click: JSON contract, CSV, files, one-line errors."""

import json
from decimal import Decimal

from click.testing import CliRunner

from ccinfra.cli.main import cli


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_bom_json_contract(example_site):
    result = run("bom", example_site, "--prices", example_site.parent / "prices.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)["bom"]["items"]
    assert {"item", "category", "quantity", "unit", "basis", "unit_price", "total", "currency"} <= set(items[0])
    assert items[0]["category"] == "switch" and items[0]["currency"] == "EUR"


def test_bom_without_prices_has_quantities_only(example_site):
    result = run("bom", example_site)
    assert result.exit_code == 0
    assert "give --prices to price it" in result.output and "access switch C9200L-48P-4X" in result.output


def test_cost_json_contract_and_plan_input(example_site, tmp_path):
    plan = tmp_path / "plan.json"
    assert run("size", example_site, "--format", "json", "-o", plan).exit_code == 0
    result = run("cost", plan, "--prices", example_site.parent / "prices.yaml", "--region", "india",
                 "--region", "Western Europe", "--format", "json")
    assert result.exit_code == 0, result.output
    c = json.loads(result.output)["cost"]
    assert c["currency"] == "EUR"
    assert set(c["monthly"]) == {"capex", "labour", "rent", "telecom", "power", "total"}
    assert [r["region"] for r in c["outsourcing"]] == ["Western Europe", "India"]
    assert {"region", "rate_low", "rate_high", "monthly_low", "monthly_high"} <= set(c["outsourcing"][0])
    assert Decimal(c["break_even_rate"]) > 0 and Decimal(c["per_productive_hour"]) > Decimal(c["break_even_rate"])
    assert Decimal(c["capex_total"]) == sum(Decimal(i["total"]) for i in json.loads(result.output)["bom"]["items"])


def test_cost_csv_to_file(example_site, tmp_path):
    out = tmp_path / "cost.csv"
    result = run("cost", example_site, "--prices", example_site.parent / "prices.yaml", "--format", "csv", "-o", out)
    assert result.exit_code == 0
    assert out.read_text().startswith("section,name,amount,currency,detail\n")


def test_bad_price_book_is_one_line_exit_1(example_site, tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("currency: EUR\nprices:\n  switch: -3\n")
    result = run("cost", example_site, "--prices", bad)
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "prices.switch" in result.output
    assert "Traceback" not in result.output


def test_missing_price_book_and_unknown_region(example_site, tmp_path):
    result = run("bom", example_site, "--prices", tmp_path / "none.yaml")
    assert result.exit_code == 1 and "no such file" in result.output
    result = run("cost", example_site, "--prices", example_site.parent / "prices.yaml", "--region", "atlantis")
    assert result.exit_code == 1 and "--region: unknown atlantis" in result.output


def test_cost_needs_prices(example_site):
    assert run("cost", example_site).exit_code == 2
