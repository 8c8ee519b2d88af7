# export_check.py: reads a workbook growthops-export wrote back with
# openpyxl (not the XlsxWriter that wrote it) and checks every cell
# against the database, with queries of its own over the toolkit's tables
# and views.  Prints "ok: N cells" or every difference, one a line.
#
#   python3 export_check.py MODULE DATABASE FILE.xlsx CAMPAIGN MONTH
import datetime
import sqlite3
import sys
import warnings

import openpyxl

module, db, path, campaign, month = sys.argv[1:6]
campaign = int(campaign)
conn = sqlite3.connect(db)
conn.execute("PRAGMA trusted_schema = OFF")
conn.enable_load_extension(True)
conn.load_extension(module)
conn.enable_load_extension(False)
problems = []
cells = 0


def day(text):
    return None if text is None else datetime.datetime.strptime(text, "%Y-%m-%d")


def same(got, want):
    if isinstance(want, float) or isinstance(got, float):
        if got is None or want is None:
            return got is None and want is None
        return abs(got - want) <= 1e-9 * max(1.0, abs(want))
    return got == want


def check_sheet(ws, headers_zh, headers_en, formats, rows):
    """rows: the expected values, the totals row last (a row may hold more
    values than the sheet has columns, for its formats); formats per column
    (a callable of the row for the columns that follow the metric's unit)."""
    global cells
    if ws.freeze_panes != "A3":
        problems.append(f"{ws.title}: frozen at {ws.freeze_panes}, not below the two header rows")
    for c, (zh, en) in enumerate(zip(headers_zh, headers_en), start=1):
        for r, want in ((1, zh), (2, en)):
            got = ws.cell(row=r, column=c).value
            cells += 1
            if got != want:
                problems.append(f"{ws.title} {ws.cell(row=r, column=c).coordinate}: header {got!r}, want {want!r}")
        letter = ws.cell(row=1, column=c).column_letter
        if not ws.column_dimensions[letter].width or ws.column_dimensions[letter].width < len(en) * 0.8:
            problems.append(f"{ws.title} column {letter}: width {ws.column_dimensions[letter].width}")
    if ws.max_row != len(rows) + 2:
        problems.append(f"{ws.title}: {ws.max_row - 2} rows, want {len(rows)}")
    if ws.max_column != len(headers_en):
        problems.append(f"{ws.title}: {ws.max_column} columns, want {len(headers_en)}")
    for r, want_row in enumerate(rows, start=3):
        for c, want in enumerate(want_row[:len(headers_en)], start=1):
            cell = ws.cell(row=r, column=c)
            cells += 1
            if not same(cell.value, want):
                problems.append(f"{ws.title} {cell.coordinate}: {cell.value!r}, want {want!r}")
            fmt = formats[c - 1](want_row) if callable(formats[c - 1]) else formats[c - 1]
            if want is not None and fmt is not None and cell.number_format != fmt:
                problems.append(f"{ws.title} {cell.coordinate}: format {cell.number_format!r}, want {fmt!r}")
            if isinstance(want, str) and cell.data_type != "s":
                problems.append(f"{ws.title} {cell.coordinate}: type {cell.data_type!r}, want text")
        if r == len(rows) + 2 and not ws.cell(row=r, column=1 if rows[-1][0] else 2).font.b:
            problems.append(f"{ws.title} row {r}: the totals row is not bold")


MONEY, PERCENT, DATE, INT, GENERAL = "#,##0.00", "0.0%", "yyyy-mm-dd", "#,##0", "General"
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    book = openpyxl.load_workbook(path)
if book.sheetnames != ["预算表 Budget", "月度预算 Budget by month", "考评表 Evaluation", "岗位描述表 Roles"]:
    problems.append(f"sheets {book.sheetnames}")

# The budget table: budget_lines, and v_budget_variance's prorated plan
lines = conn.execute("""
  SELECT b.line_id, coalesce(p.name_zh || ' ' || p.name_en, '全程 whole campaign'), b.category, b.item,
         coalesce(ch.name_zh || ' ' || ch.code, ''), v.starts, v.ends, b.planned, b.actual,
         b.actual - b.planned, (b.actual - b.planned) / nullif(b.planned, 0), v.prorated_plan,
         b.actual / nullif(v.prorated_plan, 0)
  FROM budget_lines b JOIN v_budget_variance v USING (line_id)
  LEFT JOIN phases p ON p.phase_id = b.phase_id LEFT JOIN channels ch ON ch.channel_id = b.channel_id
  WHERE b.campaign_id = ? ORDER BY b.line_id""", (campaign,)).fetchall()
rows = [list(r[:5]) + [day(r[5]), day(r[6])] + list(r[7:]) for r in lines]
planned = sum(r[7] for r in lines)
actual = sum(r[8] for r in lines)
prorated = sum(r[11] for r in lines)
rows.append([None, "合计 Total", None, None, None, None, None, planned, actual, actual - planned,
             (actual - planned) / planned if planned else None, prorated, actual / prorated if prorated else None])
check_sheet(book["预算表 Budget"],
            ["编号", "阶段", "类别", "预算项", "渠道", "开始", "结束", "计划", "已花费", "差异", "差异率", "按时计划", "进度"],
            ["Line", "Phase", "Category", "Item", "Channel", "Starts", "Ends", "Planned", "Spent", "Variance",
             "Variance %", "Prorated plan", "Pacing"],
            [INT, GENERAL, GENERAL, GENERAL, GENERAL, DATE, DATE, MONEY, MONEY, MONEY, PERCENT, MONEY, "0.00"], rows)

# The budget by month: v_budget_month's lines summed per month; their
# planned and spent add up to the lines' own
months = conn.execute("""
  SELECT month, sum(planned), sum(actual), sum(prorated_plan) FROM v_budget_month WHERE campaign_id = ?
  GROUP BY month ORDER BY month""", (campaign,)).fetchall()
rows = [[m, p, a, a - p, (a - p) / p if p else None, pr, a / pr if pr else None] for m, p, a, pr in months]
month_planned = sum(r[1] for r in months)
month_actual = sum(r[2] for r in months)
month_prorated = sum(r[3] for r in months)
rows.append(["合计 Total", month_planned, month_actual, month_actual - month_planned,
             (month_actual - month_planned) / month_planned if month_planned else None, month_prorated,
             month_actual / month_prorated if month_prorated else None])
if not (same(month_planned, planned) and same(month_actual, actual)):
    problems.append(f"the months add up to {month_planned} planned and {month_actual} spent, "
                    f"the lines to {planned} and {actual}")
check_sheet(book["月度预算 Budget by month"],
            ["月份", "计划", "已花费", "差异", "差异率", "按时计划", "进度"],
            ["Month", "Planned", "Spent", "Variance", "Variance %", "Prorated plan", "Pacing"],
            [GENERAL, MONEY, MONEY, MONEY, PERCENT, MONEY, "0.00"], rows)

# The evaluation table: v_evaluation for the month, the people with a day
# in the job (a payout prorated by those days), the unit from metrics
kpis = conn.execute("""
  SELECT e.name, coalesce(r.title_zh || ' ' || r.title_en, ''), m.name_zh, m.name_en, e.weight, e.target,
         e.actual, e.attainment, e.status, e.payout_share, e.days_in_job, e.period_days,
         k.bonus_base * e.weight * coalesce(e.payout_share, 0) * e.days_in_job / e.period_days, m.unit
  FROM v_evaluation e JOIN metrics m ON m.code = e.metric LEFT JOIN roles r ON r.role_id = e.role_id
  JOIN kpi_assignments k ON k.kpi_id = e.kpi_id
  WHERE e.campaign_id = ? AND e.grain = 'month' AND e.period = ? AND e.days_in_job > 0
  ORDER BY e.person_id, e.weight DESC, e.metric""", (campaign, month)).fetchall()
rows = [list(k[:13]) + [k[13]] for k in kpis]
rows.append(["合计 Total", None, None, None, None, None, None, None, None, None, None, None,
             sum(k[12] for k in kpis), None])


def by_unit(row):
    return {"share": PERCENT, "yuan": MONEY}.get(row[13], "#,##0.##")


check_sheet(book["考评表 Evaluation"],
            ["姓名", "岗位", "指标", "指标 (英文)", "权重", "目标", "实际", "完成率", "状态", "奖金比例", "在岗天数",
             "考核期天数", "奖金"],
            ["Person", "Role", "KPI (中文)", "KPI", "Weight", "Target", "Actual", "Attainment", "Status",
             "Payout share", "Days in job", "Days in period", "Payout"],
            [GENERAL, GENERAL, GENERAL, GENERAL, PERCENT, by_unit, by_unit, PERCENT, GENERAL, PERCENT, INT, INT,
             MONEY], rows)
if not kpis:
    problems.append(f"no KPI evaluated in {month}: the check would prove nothing")

# The job-description table: roles, the phase they join in (none for a
# role joining on a date of its own), the joining day (that date, else the
# phase's first day, else the campaign's start) and the hire-by day
# lead_days before it
roles = conn.execute("""
  SELECT r.code, r.title_zh, r.title_en, r.department, r.headcount,
         CASE WHEN r.joins_on IS NULL THEN coalesce(p.name_zh || ' ' || p.name_en, '全程 from the start') END,
         coalesce(r.joins_on, p.starts, c.starts),
         date(coalesce(r.joins_on, p.starts, c.starts), printf('-%d days', r.lead_days)),
         r.duties, r.requirements, r.monthly_cost, r.headcount * r.monthly_cost
  FROM roles r JOIN campaigns c ON c.campaign_id = r.campaign_id LEFT JOIN phases p ON p.phase_id = r.joins_phase_id
  WHERE r.campaign_id = ? ORDER BY r.role_id""", (campaign,)).fetchall()
rows = [list(r[:6]) + [day(r[6]), day(r[7])] + list(r[8:]) for r in roles]
rows.append(["合计 Total", None, None, None, sum(r[4] for r in roles), None, None, None, None, None, None,
             sum(r[11] for r in roles)])
check_sheet(book["岗位描述表 Roles"],
            ["岗位代码", "岗位", "岗位 (英文)", "部门", "人数", "加入阶段", "到岗日期", "招聘截止", "岗位职责", "任职要求",
             "月薪 (每人)", "月成本"],
            ["Code", "Role (中文)", "Role", "Department", "Headcount", "Joins in", "Joins on", "Hire by", "Duties",
             "Requirements", "Monthly cost per head", "Monthly cost"],
            [GENERAL, GENERAL, GENERAL, GENERAL, INT, GENERAL, DATE, DATE, GENERAL, GENERAL, MONEY, MONEY], rows)

print("\n".join(problems) if problems else f"ok: {cells} cells")
