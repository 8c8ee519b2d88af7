#!/usr/bin/python3
"""random_model.py: the generator and the model of the random-call test.

tests/sql/random.test runs this with /usr/bin/python3 and talks to it over
a pipe, one line at a time:

  Tcl -> model   the functions and tables growthops registered, read from
                 pragma_function_list, pragma_module_list and
                 pragma_table_xinfo at run time ("function NAME TYPE NARG",
                 "table NAME" + "column NAME HIDDEN"..., "module NAME",
                 then "end"); then "batch N" for N more calls, or "finish".
  model -> Tcl   each call as "case ID WIDTH", "param NAME KIND HEX"
                 (KIND i: integer, r: real, b: bytes, bound as a blob; text
                 is CAST(@p AS TEXT) of bytes, so NUL bytes and invalid UTF-8
                 reach the function as they are), "setup HEX", "sql HEX",
                 "cleanup HEX", "end"; then "batch-end".
  Tcl -> model   per call "result ID ok CELL..." (CELL is TYPE:VALUE, text
                 and blobs as hex, reals as %.17g) or "result ID error HEX".
  model -> Tcl   at "finish": "report LINE" lines, then "status OK|FAIL".

Every call is checked for: an error message that names the function (or
module) it came from; NULL in, NULL out where the docs say so (and the
default rule for a function nobody told the model about); and, where the
docs define the result, the result itself: the calendar functions, the
growth functions, the KPI functions, sparkline, bar, window_funnel (its
default mode), retention and the funnel table, computed here independently
(exact rationals where the C side claims exactness).  A crash of the
extension kills the Tcl side, which fails the test.

  /usr/bin/python3 tests/sql/random_model.py --seed 42
"""

import calendar
import datetime
import math
import os
import random
import re
import sys
from fractions import Fraction

DAY_MIN, DAY_MAX = -719528, 2932896       # 0000-01-01, 9999-12-31
EPOCH_ORDINAL = 719163                    # date(1970, 1, 1).toordinal()
ERA_DAYS = 146097                         # days in 400 Gregorian years
DBL_MAX = sys.float_info.max
PERIODS_MAX = 100000
GRAINS = [b'day', b'week', b'month', b'quarter', b'year']
SPACE = b' \t\n\v\f\r'                    # C's isspace() in the "C" locale
JSON_SPACE = b' \t\n\r'
ROWS_READ = 300                           # rows of a table read per call

# The findings F18, F26 and F28, fixed, are expected as documented: a user
# stored as 7 and 7.0 is one user of the funnel table; a NUL byte inside a
# text argument (a mode, a grain, a method, a direction) is an error naming
# the argument; raise_error('') is an error naming the argument, and a NUL
# in a message shows as \0.
RAISE_ERROR_EMPTY = ("raise_error(): 1st argument (message) must be text that is not empty, "
                     "got ''")


class Err(Exception):
    """The model expects an error."""


class Unspec(Exception):
    """The docs do not say what happens: any result, or an error naming
    the function."""


# ---- values --------------------------------------------------------------

class V:
    """An SQL value: t is 'null', 'int', 'real', 'text' or 'blob'; v is an
    int, a float or bytes.  expr, when set, is SQL that computes the same
    value (for huge texts, which would be slow to send)."""
    __slots__ = ('t', 'v', 'expr')

    def __init__(self, t, v=None, expr=None):
        self.t, self.v, self.expr = t, v, expr

    def __repr__(self):
        if self.expr:
            return self.expr
        if self.t == 'null':
            return 'NULL'
        if self.t in ('int', 'real'):
            return repr(self.v)
        shown = self.v if len(self.v) <= 60 else self.v[:60] + b'...'
        return ("X'%s'" if self.t == 'blob' else 'text %r') % (
            shown.hex() if self.t == 'blob' else shown)


NULL = V('null')


def I(v):
    return V('int', v)


def R(v):
    return V('real', float(v))


def T(s):
    return V('text', s.encode('utf-8') if isinstance(s, str) else s)


def B(b):
    return V('blob', b)


class Params:
    """The bound parameters of one call, and the SQL that names them."""

    def __init__(self):
        self.items = []

    def sql(self, v):
        if v.expr:
            return v.expr
        if v.t == 'null':
            return 'NULL'
        name = 'p%d' % len(self.items)
        if v.t == 'int':
            self.items.append((name, 'i', str(v.v).encode()))
            return '$' + name
        if v.t == 'real':
            self.items.append((name, 'r', repr(v.v).encode()))
            return '$' + name
        self.items.append((name, 'b', v.v))
        return ('CAST(@%s AS TEXT)' if v.t == 'text' else '@%s') % name


# ---- reading arguments as growthops documents them ----------------------

NUMBER_TEXT = re.compile(rb'[ \t\n\v\f\r]*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t\n\v\f\r]*\Z')


def number(v):
    """A finite number: an integer, a real, or text that is wholly a
    decimal number (white space around it allowed)."""
    if v.t == 'int':
        return float(v.v)
    if v.t == 'real':
        if not math.isfinite(v.v):
            raise Err
        return v.v
    if v.t == 'text':
        if b'\0' in v.v or not NUMBER_TEXT.match(v.v):
            raise Err
        d = float(v.v.strip(SPACE))
        if not math.isfinite(d):
            raise Err
        return d
    raise Err


def whole_number(v):
    """gops_arg_int64: an integer, or a number that is whole, |x| <= 2^53."""
    if v.t == 'int':
        return v.v
    d = number(v)
    if d != math.floor(d) or abs(d) > 2.0 ** 53:
        raise Err
    return int(d)


def word(v, words):
    """The index of a case-insensitive (ASCII) word among words; text only."""
    if v.t != 'text':
        raise Err
    if b'\0' in v.v:
        raise Err  # F26: not read up to the NUL
    low = v.v.lower()
    if low in words:
        return words.index(low)
    raise Err


ISO = re.compile(rb'([0-9]{4})-([0-9]{2})-([0-9]{2})'
                 rb'(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?'
                 rb'(?:([Zz])|([+-])([0-9]{2}):([0-9]{2}))?)?\Z')


def iso_instant(text):
    """ISO-8601 text as exact unix seconds (a Fraction; the fraction of a
    second truncated to the nanosecond), or Err."""
    m = ISO.match(text.strip(SPACE))
    if not m:
        raise Err
    y, mo, d = int(m[1]), int(m[2]), int(m[3])
    if not (1 <= mo <= 12 and 1 <= d <= days_in_month(y, mo)):
        raise Err
    secs = days_from_civil(y, mo, d) * 86400
    if m[4] is not None:
        hh, mm = int(m[4]), int(m[5])
        ss = int(m[6]) if m[6] is not None else 0
        if hh > 23 or mm > 59 or ss > 59:
            raise Err
        secs += hh * 3600 + mm * 60 + ss
        if m[9] is not None:
            oh, om = int(m[10]), int(m[11])
            if oh > 14 or om > 59:
                raise Err
            secs -= (1 if m[9] == b'+' else -1) * (oh * 3600 + om * 60)
        if m[7] is not None:
            return secs + Fraction(int(m[7][:9].ljust(9, b'0')), 10 ** 9)
    return Fraction(secs)


def day_of(v):
    """The UTC day of a date argument: ISO-8601 text or unix seconds."""
    if v.t == 'int':
        secs = Fraction(float(v.v))      # read as a double, as SQLite gives it
    elif v.t == 'real':
        if not math.isfinite(v.v):
            raise Err
        secs = Fraction(v.v)
    elif v.t == 'text':
        if b'\0' in v.v:
            raise Err
        secs = iso_instant(v.v)
    else:
        raise Err
    day = math.floor(secs / 86400)
    if not DAY_MIN <= day <= DAY_MAX:
        raise Err
    return day


def grain_of(v):
    return word(v, GRAINS)


# ---- the calendar, from Python's own (years 1 to 9999; year 0 is the
# ---- year 400 less one 400-year era, which has a whole number of weeks)

def days_in_month(y, m):
    return calendar.monthrange(y if y >= 1 else y + 400, m)[1]


def days_from_civil(y, m, d):
    if y >= 1:
        return datetime.date(y, m, d).toordinal() - EPOCH_ORDINAL
    return datetime.date(y + 400, m, d).toordinal() - EPOCH_ORDINAL - ERA_DAYS


def civil(day):
    if day + EPOCH_ORDINAL >= 1:
        d = datetime.date.fromordinal(day + EPOCH_ORDINAL)
        return d.year, d.month, d.day
    d = datetime.date.fromordinal(day + EPOCH_ORDINAL + ERA_DAYS)
    return d.year - 400, d.month, d.day


def iso_week(day):
    if day + EPOCH_ORDINAL >= 1:
        y, w, _ = datetime.date.fromordinal(day + EPOCH_ORDINAL).isocalendar()
        return y, w
    y, w, _ = datetime.date.fromordinal(day + EPOCH_ORDINAL + ERA_DAYS).isocalendar()
    return y - 400, w


def fmt_day(day):
    return '%04d-%02d-%02d' % civil(day)


def period_first(day, g):
    y, m, _ = civil(day)
    if g == 0:
        return day
    if g == 1:
        return day - (day + 3) % 7          # 1970-01-01 was a Thursday
    if g == 2:
        return days_from_civil(y, m, 1)
    if g == 3:
        return days_from_civil(y, (m - 1) // 3 * 3 + 1, 1)
    return days_from_civil(y, 1, 1)


def period_next(day, g):
    first = period_first(day, g)
    if g <= 1:
        return first + (1 if g == 0 else 7)
    y, m, _ = civil(first)
    step = {2: 1, 3: 3, 4: 12}[g]
    m += step
    if m > 12:
        y, m = y + 1, m - 12
    if y > 9999:
        return DAY_MAX + 1
    return days_from_civil(y, m, 1)


def period_key(day, g):
    y, m, _ = civil(day)
    if g == 0:
        return fmt_day(day)
    if g == 1:
        iy, w = iso_week(day)
        return '%04d-W%02d' % (iy, w)
    if g == 2:
        return '%04d-%02d' % (y, m)
    if g == 3:
        return '%04d-Q%d' % (y, (m - 1) // 3 + 1)
    return '%04d' % y


def period_count(a, b, g):
    if g == 0:
        return b - a + 1
    if g == 1:
        return (period_first(b, 1) - period_first(a, 1)) // 7 + 1
    (y1, m1, _), (y2, m2, _) = civil(a), civil(b)
    if g == 2:
        return (y2 - y1) * 12 + m2 - m1 + 1
    if g == 3:
        return (y2 - y1) * 4 + (m2 - 1) // 3 - (m1 - 1) // 3 + 1
    return y2 - y1 + 1


def read_range(a, b, c):
    """from_date, to_date, grain of a table: checked as the tables do."""
    first, last, g = day_of(a), day_of(b), grain_of(c)
    if first > last:
        raise Err
    if period_first(first, g) < DAY_MIN:
        raise Err
    if period_count(first, last, g) > PERIODS_MAX:
        raise Err
    return first, last, g


def walk(first, last, g, limit=None):
    """The periods of a range, clipped: (key, first_day, last_day, days)."""
    out, cursor = [], first
    while cursor <= last and (limit is None or len(out) < limit):
        nxt = period_next(cursor, g)
        end = min(nxt - 1, last)
        out.append((period_key(cursor, g), cursor, end, end - cursor + 1))
        cursor = nxt
    return out


# ---- what a call should give ---------------------------------------------

class Near:
    """A real within rel * |value| + abs_ of value."""

    def __init__(self, value, rel=1e-12, abs_=0.0):
        self.value, self.rel, self.abs = float(value), rel, abs_

    def __repr__(self):
        return 'about %r' % self.value


class AnyOf:
    def __init__(self, *choices):
        self.choices = choices

    def __repr__(self):
        return 'one of %r' % (self.choices,)


class _Any:
    def __repr__(self):
        return 'anything'


ANY = _Any()


def exact_real(q):
    """A Fraction as the nearest double, or None beyond a double's range."""
    try:
        return float(q)
    except OverflowError:
        return None


def cell_matches(want, got):
    if want is ANY:
        return True
    if isinstance(want, Check):
        return want.fn(got)
    if isinstance(want, ModelBug):
        return False
    if isinstance(want, AnyOf):
        return any(cell_matches(w, got) for w in want.choices)
    if want is None:
        return got is None
    if isinstance(want, bool):
        want = int(want)
    if isinstance(want, int):
        return type(got) is int and got == want
    if isinstance(want, str):
        return isinstance(got, str) and got == want
    if isinstance(want, float):
        want = Near(want, 0.0)
    if isinstance(want, Near):
        if type(got) is not float:
            return False
        if math.isnan(got) or math.isinf(got):
            return False
        return abs(got - want.value) <= want.rel * abs(want.value) + want.abs
    raise AssertionError('unknown expectation %r' % (want,))


def rows_match(want, got):
    if len(want) != len(got):
        return False
    return all(len(w) == len(g) and all(cell_matches(a, b) for a, b in zip(w, g))
               for w, g in zip(want, got))


# ---- the models ------------------------------------------------------------

def any_null(args):
    return any(a.t == 'null' for a in args)


def m_period(part):
    def model(args):
        if any_null(args):
            return None
        day, g = day_of(args[0]), grain_of(args[1])
        if part == 'end':
            last = period_next(day, g) - 1
            if last > DAY_MAX:
                raise Err
            return fmt_day(last)
        first = period_first(day, g)
        if first < DAY_MIN:
            raise Err
        return fmt_day(first) if part == 'start' else period_key(day, g)
    return model


def m_periods(args):
    if any_null(args[:3]):
        return []
    first, last, g = read_range(*args[:3])
    return [(k, fmt_day(a), fmt_day(b), n) for k, a, b, n in walk(first, last, g, ROWS_READ)]


def m_growth_rate(args):
    if any_null(args):
        return None
    p, c = number(args[0]), number(args[1])
    if p == 0:
        return None
    r = exact_real((Fraction(c) - Fraction(p)) / abs(Fraction(p)))
    return None if r is None else Near(r, 4e-16, 1e-320)


def m_growth_compound(args):
    if any_null(args):
        return None
    s, e, p = (number(a) for a in args)
    if not p > 0:
        raise Err
    if not (s > 0 and e >= 0):
        return None
    if e == 0:
        return -1.0
    try:
        r = math.expm1((math.log(e) - math.log(s)) / p)
    except OverflowError:
        r = math.inf
    if not math.isfinite(r):
        return AnyOf(None, ANY) if r > 1e300 else None
    return Near(r, 1e-9, 1e-12)


def m_growth_project(args):
    if any_null(args):
        return None
    s, r, p = (number(a) for a in args)
    if not r >= -1 or not p > 0:
        raise Err
    try:
        v = s * math.pow(1 + r, p)
    except OverflowError:
        v = math.inf
    if not math.isfinite(v):
        return None
    if abs(v) > 1e300:
        return AnyOf(None, Near(v, 1e-9))
    return Near(v, 1e-9, 1e-300)


def growth_level(s, r, n):
    try:
        return s * math.pow(1 + r, n)
    except OverflowError:
        return math.inf if s > 0 else -math.inf


def m_growth_periods(args):
    """growth_periods checked by its definition: the level after n periods
    (as growth_project computes it) has reached the target, after n - 1 it
    has not; NULL only where the docs say the rate never gets there."""
    if any_null(args):
        return None
    s, t, r = (number(a) for a in args)
    if not r >= -1:
        raise Err

    def reached(level):
        return level >= t if r >= 0 else level <= t

    def check(got):
        if got is None:
            if reached(s):
                return False
            never = (r == 0 or not s > 0 or (r < 0 and not t > 0) or
                     (r == -1 and not reached(0.0)) or 1 + r == 1)
            if never:
                return True
            # Beyond 2^53 periods is NULL too.
            q = (math.log(t) - math.log(s)) / math.log1p(r) if s > 0 and t > 0 else 0
            return q > 2 ** 53 * 0.999
        if type(got) is not int or got < 0:
            return False
        if r == -1:
            return got == (0 if reached(s) else 1)
        return reached(growth_level(s, r, got)) and (
            got == 0 or not reached(growth_level(s, r, got - 1)))
    return Check(check, 'the count of growth_project')


class Check:
    """A predicate on the one result cell."""

    def __init__(self, fn, what):
        self.fn, self.what = fn, what

    def __repr__(self):
        return self.what


def m_growth_path(args):
    if any_null(args[:5]):
        return []
    s, t = number(args[0]), number(args[1])
    first, last, g = read_range(args[2], args[3], args[4])
    linear = False
    if len(args) > 5 and args[5].t != 'null':
        linear = word(args[5], [b'compound', b'linear']) == 1
    if not linear and not (s > 0 and t > 0):
        raise Err
    total = last - first + 1
    scale = max(abs(s), abs(t))
    periods = walk(first, last, g, ROWS_READ)
    if not linear and g >= 2:
        # Compound by months, quarters or years: how a part-period grows
        # is a choice the docs may refine (per day, or per period by its
        # share of days); what any compound path must be is checked.
        return RowsCheck(lambda got: compound_path_holds(got, s, t, periods, total),
                         'a compound path from %r to %r' % (s, t))
    rows, previous = [], s
    for key, a, b, _ in periods:
        elapsed = b - first + 1
        if elapsed >= total:
            value = t
        elif linear:
            value = float(Fraction(s) + (Fraction(t) - Fraction(s)) * Fraction(elapsed, total))
        else:
            value = math.exp(math.log(s) + (math.log(t) - math.log(s)) * elapsed / total)
        v_cell = t if elapsed >= total else Near(value, 1e-9, 1e-12 * scale)
        gain = Near(value - previous, 1e-6, 1e-9 * scale)
        if abs(previous) > 1e-6 * scale and previous != 0:
            rate = Near((value - previous) / abs(previous), 1e-6, 1e-9)
        else:
            rate = ANY
        rows.append((key, fmt_day(a), fmt_day(b), v_cell, gain, rate))
        previous = value
    return rows


class RowsCheck:
    """A predicate on all the rows of a table."""

    def __init__(self, fn, what):
        self.fn, self.what = fn, what

    def __repr__(self):
        return self.what


def compound_path_holds(got, s, t, periods, total):
    """The periods as walk() gives them; the values strictly between s and t
    (and moving towards t) up to the last, which is t exactly; each gain the
    step from the milestone before, each rate that step over it."""
    if len(got) != len(periods):
        return False
    previous = s
    for (key, a, b, _), row in zip(periods, got):
        if row[:3] != (key, fmt_day(a), fmt_day(b)) or type(row[3]) is not float:
            return False
        value, gain, rate = row[3:6]
        if b - periods[0][1] + 1 >= total:
            if value != t:
                return False
        elif not (min(s, t) <= value <= max(s, t)) or (t - value) * (t - previous) < 0:
            return False
        if not cell_matches(Near(value - previous, 1e-9, 1e-12 * max(s, t)), gain):
            return False
        r = exact_real((Fraction(value) - Fraction(previous)) / abs(Fraction(previous)))
        want = None if r is None else Near(r, 1e-9, 1e-12)
        if r is None or abs(r) > 1e307:
            want = AnyOf(None, Near(r if r is not None else 0.0, 1e-9))
        if not cell_matches(want, rate):
            return False
        previous = value
    return True


def m_kpi_attainment(args):
    if any_null(args):
        return None
    a, t = number(args[0]), number(args[1])
    lower = len(args) > 2 and word(args[2], [b'higher', b'lower']) == 1
    num, den = (t, a) if lower else (a, t)
    if den == 0:
        return None
    return exact_real(Fraction(num) / Fraction(den))


def m_kpi_progress(args):
    if any_null(args):
        return None
    c, b, t = (number(a) for a in args)
    if t == b:
        return None
    q = (Fraction(c) - Fraction(b)) / (Fraction(t) - Fraction(b))
    r = exact_real(q)
    if r is None or abs(r) > DBL_MAX * (1 - 1e-15):
        return AnyOf(None, Near(DBL_MAX if q > 0 else -DBL_MAX, 1e-15))
    return Near(r, 1e-15, 1e-320)


def m_kpi_status(args):
    if len(args) > 3 and args[3].t == 'null':
        return None
    if args[0].t == 'null' or args[1].t == 'null':
        return None
    a, t = number(args[0]), number(args[1])
    has_floor = len(args) > 2 and args[2].t != 'null'
    f = number(args[2]) if has_floor else 0.0
    lower = len(args) > 3 and word(args[3], [b'higher', b'lower']) == 1
    if has_floor and (f < t if lower else f > t):
        raise Err
    if (a <= t) if lower else (a >= t):
        return 'met'
    if has_floor and ((a > f) if lower else (a < f)):
        return 'below floor'
    return 'behind'


JSON_NUMBER = re.compile(rb'-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?')


class JsonReader:
    """The strict JSON arrays the KPI functions read: of numbers, or of
    [number, number] pairs."""

    def __init__(self, text):
        self.s, self.i = text, 0

    def ws(self):
        while self.i < len(self.s) and self.s[self.i] in JSON_SPACE:
            self.i += 1

    def peek(self):
        return self.s[self.i:self.i + 1]

    def expect(self, c):
        self.ws()
        if self.peek() != c:
            raise Err
        self.i += 1

    def number(self):
        self.ws()
        m = JSON_NUMBER.match(self.s, self.i)
        if not m:
            raise Err
        end = m.end()
        if end < len(self.s) and self.s[end] not in b',] \t\r\n':
            raise Err
        if end - self.i > 64:
            raise Err
        d = float(m[0])
        if not math.isfinite(d):
            raise Err
        self.i = end
        return d

    def array(self, element, limit=None):
        self.expect(b'[')
        self.ws()
        out = []
        if self.peek() == b']':
            self.i += 1
        else:
            while True:
                if limit is not None and len(out) >= limit:
                    raise Err
                out.append(element())
                self.ws()
                c = self.peek()
                if c not in (b',', b']'):
                    raise Err
                self.i += 1
                if c == b']':
                    break
        self.ws()
        if self.i != len(self.s):
            raise Err
        return out

    def pair(self):
        self.expect(b'[')
        x = self.number()
        self.expect(b',')
        y = self.number()
        self.expect(b']')
        return (x, y)


def m_kpi_payout(args):
    if any_null(args):
        return None
    a = number(args[0])
    if len(args) == 1:
        points = [(0.0, 0.0), (1.0, 1.0)]
    else:
        c = args[1]
        if c.t != 'text':
            raise Err
        reader = JsonReader(c.v)
        points = reader.array(reader.pair, 1000)
        if not points:
            raise Err
        if any(points[i][0] < points[i - 1][0] for i in range(1, len(points))):
            raise Err
    xs = [p[0] for p in points]
    if a < xs[0]:
        return 0.0
    if a >= xs[-1]:
        return points[-1][1]
    lo = max(i for i in range(len(xs)) if xs[i] <= a)
    (x0, y0), (x1, y1) = points[lo], points[lo + 1]
    q = Fraction(y0) + (Fraction(a) - Fraction(x0)) / (Fraction(x1) - Fraction(x0)) * (
        Fraction(y1) - Fraction(y0))
    return Near(float(q), 0.0, 2e-15 * max(abs(y0), abs(y1)) + 1e-320)


def split_weights(method, n, periods):
    """kpi_split's weights: 'days', 'even', 'ramp' or a JSON array."""
    if method is None or method.t == 'null':
        return [float(p[3]) for p in periods]
    if method.t != 'text':
        raise Err
    if b'\0' in method.v:
        raise Err  # F26: not read up to the NUL
    if method.v.lstrip(JSON_SPACE)[:1] == b'[':
        reader = JsonReader(method.v)
        weights = reader.array(reader.number)
        if len(weights) != n:
            raise Err
    else:
        k = word(method, [b'days', b'even', b'ramp'])
        weights = [float(p[3]) if k == 0 else 1.0 if k == 1 else float(i + 1)
                   for i, p in enumerate(periods)]
    if any(w < 0 for w in weights) or not any(w > 0 for w in weights):
        raise Err
    return weights


def largest_remainder(units, weights):
    """The exact largest-remainder apportionment (ties: the earlier)."""
    exact = [Fraction(w) for w in weights]
    total = sum(exact)
    quotas = [units * w / total for w in exact]
    wholes = [math.floor(q) for q in quotas]
    left = units - sum(wholes)
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - wholes[i]), i))
    for i in order[:left]:
        wholes[i] += 1
    return wholes


def sql_round(x):
    """SQL's round(): half away from zero."""
    q = Fraction(x)
    return int(math.floor(abs(q) + Fraction(1, 2))) * (1 if q >= 0 else -1)


def m_kpi_split(args):
    if any_null(args[:4]):
        return []
    total = number(args[0])
    if abs(total) > 1e15:
        raise Err
    first, last, g = read_range(args[1], args[2], args[3])
    periods = walk(first, last, g)
    method = args[4] if len(args) > 4 else None
    weights = split_weights(method, len(periods), periods)
    rounded = sql_round(total)
    wholes = largest_remainder(abs(rounded), weights)
    sign = -1 if rounded < 0 else 1
    top = sum(Fraction(w) for w in weights)
    rows = []
    for (key, a, b, n), w, whole in zip(periods, weights, wholes):
        share = float(Fraction(w) / top)
        rows.append((key, fmt_day(a), fmt_day(b), n, Near(share, 1e-12, 1e-300),
                     Near(total * share, 1e-12, 1e-300), sign * whole))
    return rows[:ROWS_READ]


def mean_of(pairs):
    """The exact weighted mean of (score, weight) pairs, or None."""
    num = sum(Fraction(s) * Fraction(w) for s, w in pairs)
    den = sum(Fraction(w) for _, w in pairs)
    if den == 0:
        return None
    return Near(float(num / den), 1e-15, 1e-320)


def score_rows(rows):
    """kpi_score's reading of each row: (score, weight), None to skip."""
    out = []
    for s, w in rows:
        if s.t == 'null' or w.t == 'null':
            out.append(None)
            continue
        score, weight = number(s), number(w)
        if weight < 0:
            raise Err
        out.append((score, weight))
    return out


def frames(n, before, after):
    return [(max(0, i - before), min(n, i + after + 1)) for i in range(n)]


def m_kpi_score(rows, frame=None):
    pairs = score_rows(rows)
    if frame is None:
        return mean_of([p for p in pairs if p is not None]) if rows else None
    return [mean_of([p for p in pairs[a:b] if p is not None]) for a, b in frames(len(rows), *frame)]


SPARK = '▁▂▃▄▅▆▇█'


def spark_levels(values):
    """The characters each value may get (two near a rounding edge)."""
    present = [v for v in values if v is not None]
    out = []
    if not present:
        return [[' '] for _ in values]
    lo, hi = min(present), max(present)
    for v in values:
        if v is None:
            out.append([' '])
        elif not hi > lo:
            out.append([SPARK[3]])
        else:
            x = (Fraction(v) - Fraction(lo)) / (Fraction(hi) - Fraction(lo)) * 7
            near = {min(7, max(0, math.floor(float(x) + d + 0.5))) for d in (-1e-9, 0, 1e-9)}
            out.append([SPARK[k] for k in sorted(near)])
    return out


def spark_expect(values):
    if not values:
        return None
    levels = spark_levels(values)

    def check(got):
        return (isinstance(got, str) and len(got) == len(levels) and
                all(c in choices for c, choices in zip(got, levels)))
    return Check(check, 'a sparkline of %r' % (levels,))


def m_sparkline(rows, frame=None):
    values = []
    for (v,) in rows:
        values.append(None if v.t == 'null' else number(v))
    if len(values) > 10000:
        raise Err
    if frame is None:
        return spark_expect(values)
    return [spark_expect(values[a:b]) for a, b in frames(len(values), *frame)]


def m_bar(args):
    if any_null(args):
        return None
    value, top = number(args[0]), number(args[1])
    width = whole_number(args[2]) if len(args) > 2 else 20
    if top < 0 or not 1 <= width <= 1000:
        raise Err
    if top == 0:
        return None
    full = width * 8
    if not value > 0:
        eighths = [0]
    elif value >= top:
        eighths = [full]
    else:
        x = Fraction(value) / Fraction(top) * full
        eighths = sorted({min(full, math.floor(float(x) + d + 0.5)) for d in (-1e-9, 0, 1e-9)})
    blocks = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉']
    return AnyOf(*['█' * (e // 8) + blocks[e % 8] for e in eighths])


def truthy(v):
    if v.t == 'null':
        return False
    if v.t in ('int', 'real'):
        return v.v != 0
    raise Unspec  # text and blobs as SQLite converts them: not modelled


def funnel_time(v):
    if v.t in ('int', 'real'):
        if not math.isfinite(v.v):
            raise Err
        return float(v.v)
    if v.t == 'text':
        if b'\0' in v.v:
            raise Err
        secs = iso_instant(v.v)
        if not DAY_MIN <= math.floor(secs / 86400) <= DAY_MAX:
            raise Err  # a date of the years 0000 to 9999, as everywhere
        return float(secs)
    raise Err


def funnel_level(window, events, n):
    """window_funnel's default mode over (ts, mask) events: the steps'
    (time, step) pairs in time order, then step order; a step extends the
    chain that last reached the step before it, within the window of that
    chain's first step."""
    pairs = sorted((ts, k) for ts, mask in events for k in range(n) if mask >> k & 1)
    first = [None] * n
    level = 0
    for ts, k in pairs:
        if k == 0:
            first[0] = ts
        elif first[k - 1] is not None and ts <= first[k - 1] + window:
            first[k] = first[k - 1]
        else:
            continue
        level = max(level, k + 1)
    return level


def m_window_funnel(window, rows, n):
    """rows: (ts, cond1..condN) values of one group; window a value."""
    if window.t == 'null':
        return None
    w = number(window)
    if not w > 0:
        raise Err
    events = []
    for row in rows:
        ts = row[0]
        conds = row[1:]
        if ts.t == 'null':
            continue
        mask = sum(1 << k for k, c in enumerate(conds) if truthy(c))
        events.append((funnel_time(ts), mask))
    return funnel_level(w, events, n)


def m_retention(rows, n):
    if not rows:
        return None
    seen = [any(truthy(r[k]) for r in rows) for k in range(n)]
    return '[' + ','.join('1' if seen[0] and (k == 0 or seen[k]) else '0' for k in range(n)) + ']'


# ---- generating values ----------------------------------------------------

class Gen:
    def __init__(self, rng):
        self.r = rng

    def chance(self, p):
        return self.r.random() < p

    def pick(self, seq):
        return seq[self.r.randrange(len(seq))]

    # any value at all
    def anything(self):
        k = self.r.randrange(9)
        return [self.integer, self.real, self.text_number, self.date, self.garbage,
                self.blob, self.huge, self.nul_text, lambda: NULL][k]()

    def integer(self):
        return I(self.pick([0, 1, -1, 2, 7, 100, 2 ** 31 - 1, -2 ** 31, 2 ** 53, 2 ** 53 + 1,
                            2 ** 63 - 1, -2 ** 63, self.r.randrange(-10 ** 6, 10 ** 6),
                            self.r.randrange(-2 ** 63, 2 ** 63), 86400, 1735776000,
                            253402300799, 253402300800, -62167219200, -62167219201]))

    def real(self):
        return R(self.pick([0.0, -0.0, 0.5, -0.5, 1e308, -1e308, DBL_MAX, -DBL_MAX, 5e-324,
                            -5e-324, 2.2250738585072014e-308, 1e-300, 1e300, 1e15, 1e15 + 0.5,
                            -1e15, 0.1, 1 / 3, math.inf, -math.inf, 1735775999.9999998,
                            self.r.uniform(-10, 10), self.r.uniform(-1e6, 1e6),
                            math.ldexp(self.r.random(), self.r.randrange(-1074, 1024)),
                            -math.ldexp(self.r.random(), self.r.randrange(-1074, 1024))]))

    def text_number(self):
        return T(self.pick(['12', ' 3.5 ', '\t-7\n', '1e3', '+5', '.5', '5.', '0x10', '1,5',
                            'nan', 'inf', '-0', '', ' ', '1e400', '1e-400', '00012', '1e',
                            '٣', '１２', str(self.r.randrange(-1000, 1000)),
                            repr(self.r.uniform(-100, 100))]))

    def date(self):
        k = self.r.randrange(6)
        if k == 0:
            return I(self.r.randrange(-62167219200, 253402300800))
        if k == 1:
            return R(self.r.randrange(-62167219200, 253402300800) + self.pick(
                [0.0, 0.5, 0.999999, -1e-6]))
        if k == 2:
            return T(self.iso_text())
        if k == 3:
            return T(self.pick(['0000-01-01', '9999-12-31', '2025-02-29', '2024-02-29',
                                '2025-03-01T24:00', '2025-03-01T23:59:60',
                                '2025-01-01T23:59:59.9999999', '9999-12-31T23:59:59.99999',
                                '0000-01-01T00:00+00:01', '0000-01-01T00:00-14:59',
                                '9999-12-31T23:59+00:00', '9999-12-31T23:59-00:01',
                                '2025-1-1', ' 2025-03-01 ', '2025-03-01t10:00',
                                '2025-03-01T10:00:00.', '2025-03-01Z', '2025-03-01T10:00Z ',
                                '2025-03-01 10:00:00+15:00', '２０２５-03-01', 'yesterday']))
        if k == 4:
            return I(self.r.randrange(-86400 * 3, 86400 * 3))
        return T(self.iso_text() + self.pick(['x', ' x', '\x00', '+08', 'Zz']))

    def iso_text(self):
        day = self.r.randrange(DAY_MIN, DAY_MAX + 1)
        text = fmt_day(day)
        if self.chance(0.6):
            text += self.pick(['T', ' ']) + '%02d:%02d' % (self.r.randrange(24), self.r.randrange(60))
            if self.chance(0.6):
                text += ':%02d' % self.r.randrange(60)
                if self.chance(0.5):
                    text += '.' + ''.join(self.pick('09') if self.chance(0.5) else
                                          str(self.r.randrange(10))
                                          for _ in range(self.r.randrange(1, 14)))
            if self.chance(0.4):
                text += self.pick(['Z', 'z', '+08:00', '-05:30', '+14:59', '-14:59', '+00:00'])
        if self.chance(0.1):
            text = self.pick([' ', '\t', '\n']) + text + self.pick(['', ' ', '\r\n'])
        return text

    def garbage(self):
        return T(self.pick(['abc', '[', ']', '[[1,2]', '{"a":1}', '[1,2,]', '[1 2]', "it's",
                            '"quoted"', '\\', '%s%n', '😀', 'ÀÉ', 'DAY', 'Week', 'higher ',
                            ' lower', 'strict', 'linear', 'compound', 'ramp', 'even', 'days',
                            '[[0,0],[1,1]]', '[[1,0],[0,1]]', '[1]', '[]', '[[]]', 'null',
                            '[NaN]', '[Infinity]', '[01]', '[1e400]', '[-0]', '[.5]',
                            '[1' + '0' * 70 + ']', '\u00a02025-01-01', 'ＤＡＹ']))

    def blob(self):
        return B(self.pick([b'', b'\x00', b'2025-01-01', b'[1,2]', bytes(self.r.randrange(256)
                                                                       for _ in range(8))]))

    def huge(self):
        if not self.chance(0.1):
            return T('x' * self.r.randrange(100, 5000))
        n = self.pick([100000, 1000000])
        return self.pick([
            V('text', b'9' * n, "printf('%%.*c', %d, '9')" % n),
            V('text', b'[' * n, "printf('%%.*c', %d, '[')" % n),
            V('text', b'[' + b'1,' * n + b'1]',
              "'[' || replace(printf('%%.*c', %d, 'x'), 'x', '1,') || '1]'" % n),
            V('text', b'2025-01-01' + b' ' * n, "'2025-01-01' || printf('%%.*c', %d, ' ')" % n),
            V('blob', b'\0' * n, 'zeroblob(%d)' % n),
        ])

    def nul_text(self):
        return T(self.pick([b'ab\x00cd', b'\x00', b'2025-01-01\x00', b'12\x003', b'day\x00x',
                            b'[1,2]\x00', b'\xff\xfe', b'\xc3', b'\xed\xa0\x80']))

    # plausible values for an argument of a known kind
    def number_arg(self):
        return self.pick([lambda: I(self.r.randrange(-1000, 1000)),
                          lambda: R(self.r.uniform(-1000, 1000)),
                          lambda: R(self.r.uniform(-2, 2)),
                          lambda: I(self.r.randrange(0, 10 ** 7)),
                          self.real, self.integer,
                          lambda: T(str(self.r.randrange(-100, 100)))])()

    def grain_arg(self):
        g = self.pick(['day', 'week', 'month', 'quarter', 'year'])
        # now and then a near miss: 'days', or a NUL and junk after (F26)
        return T(self.pick([g, g.upper(), g.capitalize()]) if self.chance(0.95) else
                 self.pick([g + 's', g + '\x00', g + '\x00x']))

    def range_args(self):
        """from_date, to_date, grain with a range of a modest size."""
        a = self.r.randrange(DAY_MIN, DAY_MAX + 1) if self.chance(0.2) else \
            self.r.randrange(-800, 40000)
        # Both ends within the calendar (the swap makes either one the later).
        b = min(a + self.pick([0, 1, 6, 7, 30, 31, 90, 365, self.r.randrange(0, 4000)]), DAY_MAX)
        if self.chance(0.05):
            a, b = b, a
        as_value = lambda d: self.pick([T(fmt_day(d)), I(d * 86400), R(d * 86400.0 + 0.5),
                                        T(fmt_day(d) + ' 12:00')])
        return [as_value(a), as_value(b), self.grain_arg()]

    def json_numbers(self, n):
        vals = [self.pick([self.r.randrange(0, 10), self.r.randrange(0, 1000),
                           round(self.r.uniform(0, 3), self.r.randrange(0, 4)), 0, 1e-300,
                           1.5e308, 5e-324]) for _ in range(n)]
        return T('[' + self.pick([',', ', ', ' ,\n']).join(repr(v) for v in vals) + ']')

    def curve_arg(self):
        n = self.r.randrange(1, 6)
        xs = sorted(self.pick([0, 0.5, 0.6, 0.8, 1, 1.2, 1.5, 2, self.r.uniform(-1, 3),
                               -1e308, 1e308]) for _ in range(n))
        ys = [self.pick([0, 0.5, 1, 1.2, self.r.uniform(-2, 2), -1e308, 1e308]) for _ in range(n)]
        if self.chance(0.1):
            self.r.shuffle(xs)
        return T('[' + ','.join('[%r,%r]' % (x, y) for x, y in zip(xs, ys)) + ']')


# ---- what each known function takes ------------------------------------

def scalar_args(g, name, n):
    """Plausible arguments for a known scalar, or None."""
    num = g.number_arg
    if name in ('period_start', 'period_end', 'period_key'):
        return [g.date(), g.grain_arg()]
    if name == 'growth_rate':
        return [num(), num()]
    if name == 'growth_compound':
        return [R(g.r.uniform(0, 1e5)), R(g.r.uniform(0, 1e5)), g.pick([I(1), I(3), R(2.5), num()])]
    if name == 'growth_project':
        return [num(), R(g.r.uniform(-1.2, 3)), g.pick([I(3), R(0.5), num()])]
    if name == 'growth_periods':
        return [R(g.r.uniform(-10, 1e5)), R(g.r.uniform(-10, 1e6)), R(g.r.uniform(-1.1, 2))]
    if name == 'kpi_attainment':
        return [num(), num(), T(g.pick(['higher', 'lower', 'LOWER', 'up', 'lower\x00x']))][:n]
    if name == 'kpi_progress':
        return [num(), num(), num()]
    if name == 'kpi_status':
        a = [num(), num(), g.pick([NULL, num()]), T(g.pick(['higher', 'lower', 'Higher', 'x']))]
        return a[:n]
    if name == 'kpi_payout':
        return [g.pick([R(g.r.uniform(-0.5, 2)), num(), I(1)]), g.curve_arg()][:n]
    if name == 'bar':
        return [num(), g.pick([I(100), R(g.r.uniform(0, 100)), num()]),
                g.pick([I(g.r.randrange(1, 30)), I(1000), I(0), R(2.5), num()])][:n]
    if name == 'staffing_capacity':
        rng = g.range_args()
        return [R(g.r.uniform(0, 10)), rng[0], rng[1], R(g.r.uniform(0, 500)), I(g.r.randrange(0, 60))][:n]
    if name == 'raise_error':
        # empty, NUL first, NUL inside (F28), and plain messages
        return [T(g.pick(['', '\x00', '\x00the real message', 'row 7: \x00 in a cell',
                          'users.csv row 7: not a number', '新关注人数']))][:n]
    return None


def table_args(g, name, n):
    if name == 'periods':
        return g.range_args()
    if name == 'kpi_split':
        rng = g.range_args()
        total = g.pick([I(g.r.randrange(-10 ** 6, 10 ** 6)), R(g.r.uniform(-1e4, 1e4)),
                        I(g.r.randrange(-10 ** 15, 10 ** 15)), I(699470), R(0.5), I(0)])
        method = g.pick([None, NULL, T('days'), T('even'), T('Ramp'), None, None])
        if g.chance(0.4):
            try:
                a, b, c = day_of(rng[0]), day_of(rng[1]), grain_of(rng[2])
                count = period_count(a, b, c) if a <= b else 3
            except (Err, Unspec):
                count = 3
            method = g.json_numbers(min(max(count, 1), 400) + (1 if g.chance(0.05) else 0))
        return [total] + rng + ([] if method is None else [method])
    if name == 'growth_path':
        rng = g.range_args()
        out = [R(g.r.uniform(-10, 1e5)), R(g.r.uniform(-10, 1e5))] + rng
        if g.chance(0.6):
            out.append(g.pick([T('linear'), T('compound'), NULL, T('LINEAR')]))
        return out
    if name == 'staffing_plan':
        rng = g.range_args()
        return ([R(g.r.uniform(0, 1e6)), rng[0], rng[1], R(g.r.uniform(0.1, 500)),
                 I(g.r.randrange(0, 90)), I(g.r.randrange(0, 60)), rng[2]])[:n]
    if name == 'funnel_stages':
        k = g.r.randrange(0, 5)
        counts = sorted((g.r.randrange(0, 1000) for _ in range(k)), reverse=True)
        return [T('[' + ','.join('["s%d", %d]' % (i, c) for i, c in enumerate(counts)) + ']')]
    return None


SCALAR_MODELS = {
    'period_start': m_period('start'), 'period_end': m_period('end'),
    'period_key': m_period('key'), 'growth_rate': m_growth_rate,
    'growth_compound': m_growth_compound, 'growth_project': m_growth_project,
    'growth_periods': m_growth_periods, 'kpi_attainment': m_kpi_attainment,
    'kpi_progress': m_kpi_progress, 'kpi_status': m_kpi_status,
    'kpi_payout': m_kpi_payout, 'bar': m_bar,
}
TABLE_MODELS = {'periods': m_periods, 'growth_path': m_growth_path, 'kpi_split': m_kpi_split}
# Required arguments of the tables: a NULL in one gives no rows.
TABLE_REQUIRED = {'periods': 3, 'growth_path': 5, 'kpi_split': 4, 'staffing_plan': 4,
                  'funnel_stages': 1}
# Scalar arguments whose NULL means something else than a NULL result.
NULL_MEANS_DEFAULT = {('kpi_status', 2)}

# The scripts' own functions (docs/toolkit.md, "The preamble"): their
# refusals begin with the script's name, their first argument, and NULL in a
# required argument is an error, not a NULL result.
SCRIPT_FUNCTIONS = {'script_param', 'script_guard'}


# ---- the calls -------------------------------------------------------------

class Case:
    def __init__(self, name, kind, call):
        self.name, self.kind, self.call = name, kind, call
        self.params = Params()
        self.setup, self.cleanup = [], []
        self.sql, self.width = '', 1
        self.expect = ANY             # a cell expectation, or rows
        self.as_rows = False
        self.args = []


def enc(col):
    return ("typeof(%s), CASE typeof(%s) WHEN 'text' THEN hex(%s) WHEN 'blob' THEN hex(%s) "
            "ELSE %s END") % ((col,) * 5)


class ModelBug:
    """The model itself failed on these arguments: reported, never passed."""

    def __init__(self, e):
        self.e = e

    def __repr__(self):
        return 'a model that works (it raised %r)' % (self.e,)


def expect_of(model, *args):
    try:
        return model(*args)
    except Err:
        return Err
    except Unspec:
        return ANY
    except Exception as e:  # noqa: a bug of the model
        return ModelBug(e)


class Driver:
    def __init__(self, seed, inventory):
        self.rng = random.Random(seed)
        self.g = Gen(self.rng)
        self.targets = inventory
        self.calls = 0
        self.checked = 0
        self.errors = 0
        self.mismatches = []
        self.by_name = {}
        self.next_id = 0

    def make(self):
        kind, name, info = self.g.pick(self.targets)
        maker = {'s': self.scalar, 'a': self.aggregate, 'w': self.aggregate,
                 'table': self.table, 'module': self.module}[kind]
        case = maker(name, info, kind)
        case.id = self.next_id
        self.next_id += 1
        return case

    def args_for(self, known, n):
        out = []
        for i in range(n):
            if known is not None and i < len(known) and not self.g.chance(0.2):
                out.append(known[i])
            elif self.g.chance(0.06):
                out.append(NULL)
            else:
                out.append(self.g.anything())
        return out

    def scalar(self, name, narg, kind):
        n = narg if narg >= 0 else self.rng.randrange(0, 8)
        args = self.args_for(scalar_args(self.g, name, n), n)
        case = Case(name, 's', '%s(%d)' % (name, n))
        case.args = args
        call = '%s(%s)' % (name, ', '.join(case.params.sql(a) for a in args))
        case.sql = 'WITH r(v) AS MATERIALIZED (SELECT %s) SELECT %s FROM r' % (call, enc('v'))
        if name in SCALAR_MODELS:
            case.expect = expect_of(SCALAR_MODELS[name], args)
        elif name == 'raise_error' and n == 1:
            case.expect = self.raise_error_expect(args[0])
        # The rule for every scalar: NULL in, NULL out, unless documented.
        if name in SCRIPT_FUNCTIONS:
            return case
        nulls = [i for i, a in enumerate(args) if a.t == 'null' and (name, i) not in NULL_MEANS_DEFAULT]
        if nulls and case.expect is not Err:
            if case.expect is ANY or name not in SCALAR_MODELS:
                case.expect = None
        return case

    @staticmethod
    def raise_error_expect(v):
        if v.t == 'null':
            return None
        return Err

    def table(self, name, columns, kind):
        hidden = [c for c, h in columns if h]
        visible = [c for c, h in columns if not h]
        n = len(hidden)
        known = table_args(self.g, name, n)
        if known is not None:
            k = len(known) if not self.g.chance(0.1) else self.rng.randrange(0, n + 1)
        else:
            k = self.rng.randrange(0, n + 1)
        args = self.args_for(known, k)
        case = Case(name, 'table', '%s(%d)' % (name, k))
        case.args = args
        case.as_rows = True
        case.width = len(visible)
        cols = ', '.join('"%s"' % c for c in visible)
        call = '%s(%s)' % (name, ', '.join(case.params.sql(a) for a in args))
        case.sql = ('WITH r AS MATERIALIZED (SELECT %s FROM %s LIMIT %d) SELECT %s FROM r'
                    % (cols, call, ROWS_READ, ', '.join(enc('"%s"' % c) for c in visible)))
        required = TABLE_REQUIRED.get(name)
        if name in TABLE_MODELS and (required is None or k >= required):
            case.expect = expect_of(TABLE_MODELS[name], args)
        if required is not None and k >= required and any(a.t == 'null' for a in args[:required]):
            case.expect = []
        return case

    def rows_table(self, case, rows, width):
        """A table rnd_rows(i, c0, c1, ...) holding the rows' values."""
        width = max(width, 1)
        cols = ', '.join('c%d' % k for k in range(width))
        case.setup.append('CREATE TEMP TABLE rnd_rows(i INTEGER PRIMARY KEY, g, %s)' % cols)
        for i, row in enumerate(rows):
            case.setup.append('INSERT INTO rnd_rows VALUES (%d, %d, %s)' % (
                i, 0, ', '.join(case.params.sql(v) for v in row)))
        case.cleanup.append('DROP TABLE temp.rnd_rows')

    def aggregate(self, name, narg, kind):
        window = kind == 'w' and self.g.chance(0.5)
        n_rows = self.g.pick([0, 1, 2, 3, 5, 8, 20, self.rng.randrange(0, 60)])
        case = Case(name, 'w' if window else 'a', name)
        frame = (self.rng.randrange(0, 4), self.rng.randrange(0, 3)) if window else None
        consts = []
        if name == 'window_funnel' or name == 'window_funnel_times':
            steps = self.rng.randrange(1, 5)
            window_v = self.g.pick([I(self.rng.randrange(1, 50)), R(7.5), I(0), NULL,
                                    T('10'), self.g.anything()])
            text_ts = self.g.chance(0.2)
            base = self.rng.randrange(-10 ** 6, 10 ** 9)
            rows = []
            for _ in range(n_rows):
                t = base + self.rng.randrange(0, 60)
                ts = T(fmt_day(t // 86400) + ' %02d:%02d:%02d' % (t % 86400 // 3600, t % 3600 // 60, t % 60)) \
                    if text_ts else self.g.pick([I(t), R(t + 0.5)])
                if self.g.chance(0.05):
                    ts = NULL if self.g.chance(0.5) else self.g.anything()
                conds = [self.g.pick([I(0), I(1), I(1), NULL, I(2), R(0.5)]) for _ in range(steps)]
                rows.append([ts] + conds)
            consts = [window_v]
            arity = 1 + steps
        elif name == 'retention':
            steps = self.rng.randrange(0, 5)
            rows = [[self.g.pick([I(0), I(1), NULL, R(-0.5)]) for _ in range(steps)] for _ in range(n_rows)]
            arity = steps
        elif name == 'kpi_score':
            rows = [[self.g.pick([R(self.rng.uniform(0, 2)), NULL, I(1), self.g.anything()]),
                     self.g.pick([R(self.rng.uniform(0, 3)), I(0), NULL, R(1e308), self.g.anything()])]
                    for _ in range(n_rows)]
            arity = 2
        elif name == 'sparkline':
            rows = [[self.g.pick([I(self.rng.randrange(-50, 50)), R(self.rng.uniform(-1, 1)), NULL,
                                  R(1e308), R(-1e308), self.g.anything()])] for _ in range(n_rows)]
            arity = 1
        else:
            arity = narg if narg >= 0 else self.rng.randrange(0, 6)
            rows = [[self.g.anything() for _ in range(arity)] for _ in range(n_rows)]
        if arity == 0:
            rows = [[I(0)] for _ in rows]
            col_args = []
        else:
            col_args = ['c%d' % k for k in range(arity)]
        self.rows_table(case, rows, arity)
        args = ', '.join([case.params.sql(c) for c in consts] + col_args)
        if window:
            over = 'OVER (ORDER BY i ROWS BETWEEN %d PRECEDING AND %d FOLLOWING)' % frame
            case.sql = ('WITH r AS MATERIALIZED (SELECT i, %s(%s) %s AS v FROM rnd_rows) '
                        'SELECT %s FROM r ORDER BY i' % (name, args, over, enc('v')))
            case.as_rows = True
        else:
            case.sql = ('WITH r(v) AS MATERIALIZED (SELECT %s(%s) FROM (SELECT * FROM rnd_rows '
                        'ORDER BY i)) SELECT %s FROM r' % (name, args, enc('v')))
        if arity == 0:
            rows = [[] for _ in rows]
        case.args = consts + [v for row in rows for v in row]
        case.call = '%s(%d args) over %d rows%s' % (name, len(consts) + arity, n_rows,
                                                     ' %r' % (frame,) if window else '')
        case.expect = self.aggregate_expect(name, consts, rows, frame)
        return case

    def aggregate_expect(self, name, consts, rows, frame):
        def rowwise(values):
            return None if values is ANY or values is Err else [(v,) for v in values]
        if name == 'kpi_score':
            e = expect_of(m_kpi_score, rows, frame)
            return rowwise(e) or e if frame else e
        if name == 'sparkline':
            e = expect_of(m_sparkline, rows, frame)
            return rowwise(e) or e if frame else e
        if name == 'window_funnel' and rows and frame is None:
            return expect_of(m_window_funnel, consts[0], rows, len(rows[0]) - 1)
        if name == 'window_funnel' and not rows:
            return 0  # no row, no window read
        if name == 'retention' and frame is None:
            if not rows:
                return None
            n = len(rows[0])
            if n == 0 or n > 64:
                return Err
            return expect_of(m_retention, rows, n)
        return ANY

    def module(self, name, info, kind):
        """CREATE VIRTUAL TABLE over a random event table, with random or
        plausible arguments; the funnel checked against window_funnel."""
        case = Case(name, 'module', name)
        n_users = self.rng.randrange(0, 6)
        events = []
        for _ in range(self.rng.randrange(0, 30)):
            u = I(self.rng.randrange(1, n_users + 2))
            if self.g.chance(0.3):
                u = R(float(u.v))  # F18: 7.0 is user 7
            t = 1740787200 + self.rng.randrange(0, 7200)
            ts = self.g.pick([I(t), T('2025-03-01 %02d:%02d:%02d' % (t % 86400 // 3600, t % 3600 // 60, t % 60))])
            e = T(self.g.pick(['a', 'b', 'c', 'd']))
            if self.g.chance(0.05):
                u = NULL
            if self.g.chance(0.05):
                ts = NULL
            events.append([u, ts, e])
        case.setup.append('CREATE TABLE rnd_ev(u, ts, e)')
        for row in events:
            case.setup.append('INSERT INTO rnd_ev VALUES (%s)' % ', '.join(case.params.sql(v) for v in row))
        window = self.rng.randrange(1, 4000)
        plausible = {
            'funnel': ['rnd_ev', 'u', 'ts', 'e', '\'["a","b","c"]\'', str(window)],
            'lifecycle': ['rnd_ev', 'u', 'ts', self.g.pick(['day', 'week', 'month', "'day'"])],
            'cohorts': ['rnd_ev', 'u', 'ts', self.g.pick(['day', 'week', 'month']),
                        "\"e = 'a'\"", "\"e = 'b'\""],
            'stickiness': ['rnd_ev', 'u', 'ts'] + self.g.pick(
                [[], ['grain = week'], ['grain=month'], ['mau_days = 30']]),
            'paths': ['rnd_ev', 'u', 'ts', 'e', self.g.pick(['\'["a"]\'', '\'["a","b"]\''])] + self.g.pick(
                [[], ['depth = 2'], ['direction=backward', 'base=last_match'], ['base=head']]),
        }.get(name)
        words = ['rnd_ev', 'u', 'ts', 'e', 'nosuch', "'x'", '0', '-1', '1e400', "'[]'",
                 "'[\"a\"]'", 'day', 'quarter', '"e = 1"', "'strict'", '3600', '0x10', "'60'"]
        if plausible is not None and self.g.chance(0.6):
            args = [a if not self.g.chance(0.1) else self.g.pick(words) for a in plausible]
        else:
            args = [self.g.pick(words) for _ in range(self.rng.randrange(0, 8))]
        case.setup.append('CREATE VIRTUAL TABLE temp.rnd_vt USING %s(%s)' % (name, ', '.join(args)))
        case.cleanup += ['DROP TABLE IF EXISTS temp.rnd_vt', 'DROP TABLE rnd_ev']
        case.create_may_fail = True
        case.sql = 'SELECT * FROM temp.rnd_vt LIMIT %d' % ROWS_READ
        case.width = None               # whatever the table has
        case.as_rows = True
        case.call = 'CREATE VIRTUAL TABLE ... USING %s(%s)' % (name, ', '.join(args))
        case.args = [v for row in events for v in row]
        if name == 'funnel' and args == plausible:
            case.expect = self.funnel_expect(events, window)
        return case

    def funnel_expect(self, events, window):
        users = {}
        for u, ts, e in events:
            if u.t == 'null' or ts.t == 'null':
                continue
            mask = {b'a': 1, b'b': 2, b'c': 4}.get(e.v, 0)
            users.setdefault(u.v, []).append((funnel_time(ts), mask))
        levels = [funnel_level(float(window), ev, 3) for ev in users.values()]
        counts = [sum(1 for l in levels if l >= k) for k in (1, 2, 3)]
        rows = []
        for k, name in enumerate(['a', 'b', 'c']):
            users_k = counts[k]
            prev = counts[k - 1] if k else None
            step_rate = None if k == 0 or not prev else Near(users_k / prev)
            overall = Near(users_k / counts[0]) if counts[0] else None
            drop = None if k == 0 else prev - users_k
            rows.append((k + 1, name, users_k, step_rate, overall, drop, ANY, ANY))
        return rows

    # ---- checking ----
    def check(self, case, result):
        try:
            self.check_one(case, result)
        except Exception as e:  # a bug of the model is a failure too
            self.mismatches.append((case, ['the model failed: %r' % (e,)]))

    def check_one(self, case, result):
        self.calls += 1
        stats = self.by_name.setdefault(case.name, [0, 0, 0, 0])
        stats[0] += 1
        problems = []
        if result[0] == 'setup-error':
            if not getattr(case, 'create_may_fail', False) or not self.names_fn(case, result[1]):
                problems.append('setup failed: %s' % result[1])
            elif case.expect not in (ANY, Err):
                problems.append('expected a result, got the error: %s' % result[1])
            else:
                self.errors += 1
                stats[1] += 1
        elif result[0] == 'error':
            self.errors += 1
            stats[1] += 1
            msg = result[1]
            if case.name == 'raise_error' and case.args and case.args[0].t != 'blob':
                # The message is the user's own text, a NUL shown as \0; an
                # empty text is an error naming the argument (F28).
                if not msg:
                    problems.append('raise_error: an empty message (F28)')
                elif case.args[0].t == 'text' and case.args[0].v == b'':
                    if msg != RAISE_ERROR_EMPTY:
                        problems.append('raise_error: message %r, not %r' % (msg, RAISE_ERROR_EMPTY))
                elif case.args[0].t == 'text' and case.expect is Err:
                    try:
                        shown = case.args[0].v.replace(b'\0', b'\\0').decode('utf-8')
                    except UnicodeDecodeError:
                        shown = msg  # invalid UTF-8: Tcl reads it its own way
                    if msg != shown:
                        problems.append('raise_error: message %r, not %r' % (msg, shown))
            elif not self.names_fn(case, msg):
                problems.append('the error does not name %s: %s' % (case.name, msg))
            if case.expect is not ANY and case.expect is not Err and not (
                    isinstance(case.expect, AnyOf) and ANY in case.expect.choices):
                problems.append('expected %s, got the error: %s' % (self.show(case.expect), msg))
        else:
            got = result[1]
            if case.expect is Err:
                problems.append('expected an error, got %r' % (got,))
            elif case.expect is not ANY:
                stats[2] += 1
                self.checked += 1
                if case.as_rows:
                    want = case.expect
                    if isinstance(want, RowsCheck):
                        if not want.fn(got):
                            problems.append('expected %s, got rows %r' % (want, got[:20]))
                    elif not isinstance(want, list):
                        problems.append('model gave %r for rows' % (want,))
                    elif not rows_match([tuple(w) for w in want], got):
                        problems.append('expected rows %s\n      got rows %r' % (self.show(want), got))
                else:
                    one = got[0][0] if len(got) == 1 and len(got[0]) == 1 else ('rows', got)
                    want = case.expect
                    ok = want.fn(one) if isinstance(want, Check) else cell_matches(want, one)
                    if not ok:
                        problems.append('expected %s, got %r' % (self.show(want), one))
        if problems:
            stats[3] += 1
            self.mismatches.append((case, problems))

    def names_fn(self, case, msg):
        if (case.name + '()') in msg or msg.startswith(case.name + ':'):
            return True
        if case.name in SCRIPT_FUNCTIONS and case.args and case.args[0].t == 'text':
            try:
                script = case.args[0].v.decode('utf-8')
            except UnicodeDecodeError:
                return False
            return msg.startswith(script + ':')
        return False

    @staticmethod
    def show(want):
        text = repr(want)
        return text if len(text) < 400 else text[:400] + '...'


# ---- the pipe ------------------------------------------------------------

def hexs(b):
    if isinstance(b, str):
        b = b.encode('utf-8')
    return b.hex() or '-'


def unhex(h):
    try:
        return b'' if h == '-' else bytes.fromhex(h)
    except ValueError:
        raise ValueError('not hex: %r' % h[:100])


def decode_cell(token):
    kind, _, value = token.partition(':')
    if kind == 'null':
        return None
    if kind == 'integer':
        return int(value)
    if kind == 'real':
        return float(value)
    raw = unhex(value or '-')
    if kind == 'text':
        try:
            return raw.decode('utf-8')
        except UnicodeDecodeError:
            return raw
    return raw


def send(line):
    sys.stdout.write(line + '\n')


def read_inventory():
    targets = []
    table = None
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == 'end':
            break
        if words[0] == 'function':
            targets.append((words[2], words[1], int(words[3])))
        elif words[0] == 'table':
            table = (words[1], [])
            targets.append(('table', words[1], table[1]))
        elif words[0] == 'column':
            table[1].append((words[1], words[2] == '1'))
        elif words[0] == 'module':
            targets.append(('module', words[1], None))
    return targets


def run(seed):
    inventory = read_inventory()
    only = os.environ.get('GROWTHOPS_RANDOM_ONLY', '')
    if only:  # to chase one function: GROWTHOPS_RANDOM_ONLY=kpi_split,bar
        inventory = [t for t in inventory if t[1] in only.split(',')]
    driver = Driver(seed, inventory)
    pending = {}
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == 'batch':
            for _ in range(int(words[1])):
                case = driver.make()
                pending[case.id] = case
                send('case %d %s' % (case.id, case.width if case.width is not None else '*'))
                for name, kind, data in case.params.items:
                    send('param %s %s %s' % (name, kind, hexs(data)))
                for s in case.setup:
                    send('setup ' + hexs(s))
                send('sql ' + hexs(case.sql))
                for s in case.cleanup:
                    send('cleanup ' + hexs(s))
                send('end')
            send('batch-end')
            sys.stdout.flush()
        elif words[0] == 'result':
            case = pending.pop(int(words[1]))
            status = words[2]
            if status == 'ok':
                try:
                    cells = [decode_cell(t) for t in words[3:]]
                except ValueError:
                    raise ValueError('%s\n%s' % (line[:500], case.sql))
                width = case.width
                if width is None:                # a module's: Tcl sends it first
                    width, cells = cells[0], cells[1:]
                rows = [tuple(cells[i:i + width]) for i in range(0, len(cells), width)]
                driver.check(case, ('ok', rows))
            else:
                driver.check(case, (status, unhex(words[3]).decode('utf-8', 'replace')))
        elif words[0] == 'finish':
            report(driver, seed)
            return


def report(driver, seed):
    send('report seed %d: %d calls, %d errors (each named its function), %d results '
         'checked against the model, %d mismatches'
         % (seed, driver.calls, driver.errors, driver.checked, len(driver.mismatches)))
    for name in sorted(driver.by_name):
        calls, errors, checked, wrong = driver.by_name[name]
        send('report   %-20s %6d calls %6d errors %6d checked %4d mismatches'
             % (name, calls, errors, checked, wrong))
    for case, problems in driver.mismatches[:20]:
        send('report MISMATCH %s' % case.call)
        send('report   args: %s' % ', '.join(repr(a) for a in case.args[:12]))
        send('report   sql: %s' % case.sql[:300])
        for s in case.setup[:3]:
            send('report   setup: %s' % s[:300])
        for p in problems:
            for line in p.split('\n'):
                send('report   ' + line)
    send('status ' + ('OK' if not driver.mismatches else 'FAIL'))
    sys.stdout.flush()


def split_cases(seed, n):
    """kpi_split calls made to tie: the total is a multiple of S / gcd(S, d)
    for a difference d of two weights, so those two periods' quotas have
    equal remainders; large totals, where doubles cannot tell the
    remainders apart.  Prints "case SQL-HEX WHOLES TIES" lines."""
    rng = random.Random(seed)
    for _ in range(n):
        grain = rng.choice([1, 2, 3, 1, 1])
        first = rng.randrange(-700000, 2900000)
        last = min(first + rng.choice([20, 50, 100, 200, 400, 1000]), DAY_MAX)
        periods = walk(first, last, grain)
        kind = rng.choice(['days', 'ramp', 'json'])
        if kind == 'days':
            weights, method = [p[3] for p in periods], ''
        elif kind == 'ramp':
            weights, method = list(range(1, len(periods) + 1)), ", 'ramp'"
        else:
            weights = [rng.choice([1, 2, 3, 5, 7, 7, 10]) for _ in periods]
            method = ", '[%s]'" % ','.join(map(str, weights))
        total = sum(weights)
        d = abs(weights[rng.randrange(len(weights))] - weights[rng.randrange(len(weights))]) or 1
        step = total // math.gcd(total, d)
        units = step * rng.randrange(1, max(2, 10 ** 15 // step)) + rng.choice([0, 0, 1])
        units = min(units, 10 ** 15)
        wholes = largest_remainder(units, [float(w) for w in weights])
        quotas = [Fraction(units * w, total) for w in weights]
        rems = [q - math.floor(q) for q in quotas]
        ties = len(rems) - len(set(rems))
        sql = ("SELECT group_concat(target_whole) FROM kpi_split(%d, '%s', '%s', '%s'%s)"
               % (units, fmt_day(first), fmt_day(last), GRAINS[grain].decode(), method))
        send('case %s %s %d' % (hexs(sql), ','.join(map(str, wholes)), ties))


if __name__ == '__main__':
    seed = int(sys.argv[sys.argv.index('--seed') + 1]) if '--seed' in sys.argv else 1
    if '--split-cases' in sys.argv:
        split_cases(seed, int(sys.argv[sys.argv.index('--split-cases') + 1]))
    else:
        run(seed)
