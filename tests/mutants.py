"""
mutants.py: the mutants of a C file, for tests/mutate.py.

A mutant is one small change to one place of the source that still
compiles and that a test should notice:

  ror    a comparison flipped: < and <=, > and >=, == and !=
  aor    + and - swapped (binary, and += with -=)
  const  an integer constant one more, or one less
  cond   the condition of an if dropped: if (0) and if (1); while (0)
  swap   the operands of -, /, %, <<, >>, <, <=, > or >= swapped, where
         both are plain operands (a name, a number, a call, a member,
         an element, a parenthesized expression)
  ret    a returned code replaced: SQLITE_OK by SQLITE_ERROR, any other
         SQLITE_ code and a binding's "return rc" by SQLITE_OK, a core's
         error kind by its OK, its OK by the first error

Not mutated: comments, strings, characters, preprocessor lines other than
#define, assert() and static_assert() (they state what holds; a mutant in
one only weakens or breaks the check), and the dimension of an array in a
declaration (a buffer one larger changes nothing a test can see; one
smaller is the sanitizers' and the fuzzer's to find).

Each mutant has a key that survives lines moving: the file, the function
(or initializer, or macro) it is in, the text of its line, the column in
that text, the mutation, and, when the same four occur more than once in
the function, which occurrence.  tests/mutate_equivalent.txt lists
equivalent mutants by that key.
"""
import re
from collections import namedtuple

Tok = namedtuple('Tok', 'kind text start end line pp')

KEYWORDS = {
    'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double',
    'else', 'enum', 'extern', 'float', 'for', 'goto', 'if', 'inline', 'int', 'long',
    'register', 'restrict', 'return', 'short', 'signed', 'sizeof', 'static', 'struct',
    'switch', 'typedef', 'union', 'unsigned', 'void', 'volatile', 'while', '_Bool',
    '_Alignof', '_Static_assert', '_Noreturn', '_Thread_local', 'bool', '__attribute__',
}

PUNCT = sorted("""
... <<= >>= -> ++ -- << >> <= >= == != && || += -= *= /= %= &= |= ^= ##
[ ] ( ) { } . & * + - ~ ! / % < > ^ | ? : ; = , #
""".split(), key=len, reverse=True)

ID_RE = re.compile(r'[A-Za-z_][A-Za-z_0-9]*')
NUM_RE = re.compile(r'(?:0[xX][0-9a-fA-F.]+(?:[pP][+-]?[0-9]+)?|[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?\.?)'
                    r'[uUlLfF]*')
INT_RE = re.compile(r'^(0[xX][0-9a-fA-F]+|[1-9][0-9]*|0)([uUlL]*)$')


def tokenize(text):
    """The tokens of C source text; preprocessor lines other than #define
    are skipped, a #define's body is tokenized with pp set to the macro's
    name."""
    toks = []
    i, n, line = 0, len(text), 1
    at_line_start = True
    directive_end = -1   # offset where the current #define ends
    macro = None
    while i < n:
        if directive_end >= 0 and i >= directive_end:
            directive_end, macro = -1, None
        c = text[i]
        if c == '\n':
            line += 1
            i += 1
            at_line_start = True
            continue
        if c in ' \t\r\f\v':
            i += 1
            continue
        if c == '\\' and text.startswith('\n', i + 1):
            line += 1
            i += 2
            continue
        if text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            line += text.count('\n', i, j)
            i = j
            continue
        if text.startswith('//', i):
            j = text.find('\n', i)
            i = n if j < 0 else j
            continue
        if c == '#' and at_line_start and directive_end < 0:
            end = logical_line_end(text, i)
            m = re.match(r'#\s*define\s+([A-Za-z_][A-Za-z_0-9]*)', text[i:end])
            if m:
                macro = m.group(1)
                directive_end = end
                i += m.end()
                at_line_start = False
                continue
            line += text.count('\n', i, end)
            i = end
            continue
        at_line_start = False
        if c == '"' or c == "'" or (c in 'LuU' and text[i + 1:i + 2] in ('"', "'")):
            q = i + 1 if c in 'LuU' else i
            quote = text[q]
            j = q + 1
            while j < n and text[j] != quote:
                j += 2 if text[j] == '\\' else 1
            j += 1
            toks.append(Tok('str' if quote == '"' else 'chr', text[i:j], i, j, line, macro))
            line += text.count('\n', i, j)
            i = j
            continue
        m = ID_RE.match(text, i)
        if m:
            toks.append(Tok('id', m.group(0), i, m.end(), line, macro))
            i = m.end()
            continue
        if c.isdigit() or (c == '.' and text[i + 1:i + 2].isdigit()):
            m = NUM_RE.match(text, i)
            toks.append(Tok('num', m.group(0), i, m.end(), line, macro))
            i = m.end()
            continue
        for p in PUNCT:
            if text.startswith(p, i):
                toks.append(Tok('op', p, i, i + len(p), line, macro))
                i += len(p)
                break
        else:
            raise ValueError('line %d: cannot read %r' % (line, text[i:i + 20]))
    return toks


def logical_line_end(text, i):
    """The offset of the newline ending the preprocessor line at i."""
    while True:
        j = text.find('\n', i)
        if j < 0:
            return len(text)
        if text[j - 1] == '\\':
            i = j + 1
            continue
        # A block comment that spans lines continues the directive.
        start = text.rfind('/*', i, j)
        if start >= 0 and text.find('*/', start, j) < 0:
            i = text.find('*/', start) + 2
            continue
        return j


# ---- structure -------------------------------------------------------------

def match_brackets(toks):
    """For each opening or closing bracket, the index of its partner."""
    partner = {}
    stack = []
    for k, t in enumerate(toks):
        if t.kind != 'op':
            continue
        if t.text in '([{':
            stack.append(k)
        elif t.text in ')]}':
            if stack:
                j = stack.pop()
                partner[j], partner[k] = k, j
    return partner


def scopes(toks, partner):
    """For each token, the name of what it is in: a function, a top-level
    initializer or type, or a macro ('#define NAME')."""
    out = [''] * len(toks)
    k = 0
    n = len(toks)
    while k < n:
        t = toks[k]
        if t.pp:
            out[k] = '#define ' + t.pp
            k += 1
            continue
        if t.kind == 'op' and t.text == '{' and k in partner:
            name = scope_name(toks, k, partner)
            end = partner[k]
            for j in range(k, end + 1):
                out[j] = '#define ' + toks[j].pp if toks[j].pp else name
            k = end + 1
            continue
        k += 1
    return out


def scope_name(toks, k, partner):
    """The name of the top-level thing whose body opens at toks[k]."""
    j = k - 1
    if j >= 0 and toks[j].text == ')' and j in partner:
        o = partner[j]
        if o > 0 and toks[o - 1].kind == 'id':
            return toks[o - 1].text
    if j >= 0 and toks[j].text == '=':
        # name = {, name[] = {, name[N] = {
        j -= 1
        while j >= 0 and toks[j].text == ']' and j in partner:
            j = partner[j] - 1
        if j >= 0 and toks[j].kind == 'id':
            return toks[j].text
    if j >= 0 and toks[j].kind == 'id' and j > 0 and toks[j - 1].text in ('struct', 'union', 'enum'):
        return toks[j - 1].text + ' ' + toks[j].text
    if j >= 0 and toks[j].text in ('struct', 'union', 'enum'):
        # typedef struct { ... } name;
        end = partner.get(k)
        if end is not None and end + 1 < len(toks) and toks[end + 1].kind == 'id':
            return toks[j].text + ' ' + toks[end + 1].text
    return ''


def excluded_spans(toks, partner):
    """Token index ranges never mutated: the arguments of assert() and
    static_assert(), and __attribute__((...))."""
    out = set()
    for k, t in enumerate(toks):
        if t.kind == 'id' and t.text in ('assert', 'static_assert', '_Static_assert', '__attribute__') \
                and k + 1 < len(toks) and toks[k + 1].text == '(' and (k + 1) in partner:
            out.update(range(k, partner[k + 1] + 1))
    return out


def array_dimensions(toks, partner):
    """Indices of the constants that give an array's size in a declaration:
    `type name[N]`, `type *name[N]`, `type name[M][N]` (N alone between
    the brackets)."""
    out = set()
    for k, t in enumerate(toks):
        if t.kind != 'num' or k < 3:
            continue
        if toks[k - 1].text != '[' or k + 1 >= len(toks) or toks[k + 1].text != ']':
            continue
        j = k - 2
        while j > 0 and toks[j].text == ']' and j in partner:
            j = partner[j] - 1   # an earlier dimension
        name, before = toks[j], toks[j - 1]
        if name.kind == 'id' and name.text not in KEYWORDS and (
                (before.kind == 'id' and before.text not in ('return', 'case', 'sizeof'))
                or before.text == '*'):
            out.add(k)
    return out


# ---- operators ---------------------------------------------------------------

# Binding strength of the binary operators (higher binds tighter).
PRECEDENCE = {
    '*': 13, '/': 13, '%': 13, '+': 12, '-': 12, '<<': 11, '>>': 11,
    '<': 10, '<=': 10, '>': 10, '>=': 10, '==': 9, '!=': 9, '&': 8, '^': 7, '|': 6,
    '&&': 5, '||': 4, '?': 3, ':': 3,
}
ASSIGN = {'=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>='}
OPENERS = {'(', '[', '{', ',', ';', '}'} | ASSIGN
CLOSERS = {')', ']', '}', ',', ';'} | ASSIGN


def ends_operand(t):
    """Whether an operand can end with token t (so an operator after it is
    binary)."""
    if t.kind in ('num', 'str', 'chr'):
        return True
    if t.kind == 'id':
        return t.text not in KEYWORDS
    return t.text in (')', ']', '++', '--')


def is_binary(toks, k):
    """Whether the operator toks[k] is binary (follows an operand)."""
    return k > 0 and ends_operand(toks[k - 1])


def operand_start(toks, k, partner):
    """The index where the plain operand ending at toks[k] starts, or None."""
    j = k
    while True:
        t = toks[j]
        if t.text == ']' and j in partner:
            j = partner[j] - 1
            if j < 0:
                return None
            continue
        if t.text == ')' and j in partner:
            o = partner[j]
            before = toks[o - 1] if o > 0 else None
            if before is not None and before.kind == 'id' and before.text == 'sizeof':
                start = o - 1
            elif before is not None and (before.kind == 'id' and before.text not in KEYWORDS
                                         or before.text in (')', ']')):
                j = o - 1   # a call: its callee
                continue
            else:
                start = o   # a parenthesized expression
        elif t.kind in ('num', 'str', 'chr') or (t.kind == 'id' and t.text not in KEYWORDS):
            start = j
        else:
            return None
        if start >= 2 and toks[start - 1].text in ('.', '->'):
            j = start - 2
            continue
        return start


def operand_end(toks, k, partner):
    """The index where the plain operand starting at toks[k] ends, or None."""
    n = len(toks)
    if k >= n:
        return None
    t = toks[k]
    if t.kind == 'id' and t.text == 'sizeof' and k + 1 < n and toks[k + 1].text == '(':
        j = partner.get(k + 1)
    elif t.kind in ('num', 'str', 'chr') or (t.kind == 'id' and t.text not in KEYWORDS):
        j = k
    elif t.text == '(' and k in partner:
        j = partner[k]
        # (type) x is a cast, not a parenthesized operand
        if j + 1 < n and (toks[j + 1].kind in ('id', 'num') or toks[j + 1].text == '('):
            return None
    else:
        return None
    if j is None:
        return None
    while j + 1 < n:
        nt = toks[j + 1]
        if nt.text in ('[', '(') and (j + 1) in partner:
            j = partner[j + 1]
        elif nt.text in ('.', '->') and j + 2 < n and toks[j + 2].kind == 'id':
            j += 2
        else:
            break
    return j


def bounded_before(toks, s, prec):
    """Whether the token before an operand starting at s lets it be the
    left operand of an operator of precedence prec."""
    if s == 0:
        return True
    b = toks[s - 1]
    if b.kind == 'id':
        return b.text in ('return', 'case')
    if b.text in OPENERS or b.text == '?' or b.text == ':':
        return True
    if b.text in PRECEDENCE and b.text not in ('?', ':'):
        # a binary operator binding less tightly; & and * must be binary
        return PRECEDENCE[b.text] < prec and is_binary(toks, s - 1)
    return False


def bounded_after(toks, e, prec):
    """Whether the token after an operand ending at e lets it be the right
    operand of an operator of precedence prec."""
    if e + 1 >= len(toks):
        return False
    a = toks[e + 1]
    if a.text in CLOSERS or a.text in ('?', ':'):
        return True
    if a.text in PRECEDENCE:
        return PRECEDENCE[a.text] <= prec
    return False


# ---- return codes ------------------------------------------------------------

def code_families(texts):
    """The families of error kinds of the cores: the names of each enum,
    and the #defines sharing a prefix with one ending in _OK.  Returns
    {name: family list}."""
    fam = {}
    for text in texts:
        for body in re.findall(r'enum\s*[A-Za-z_0-9]*\s*\{([^}]*)\}', strip_comments(text)):
            names = re.findall(r'\b([A-Z][A-Z0-9_]+)\b\s*(?:=|,|$)', body)
            for nm in names:
                fam[nm] = names
        defines = re.findall(r'^#define\s+([A-Z][A-Z0-9_]+)\s+-?[0-9]+\s*(?:/\*.*)?$',
                             text, re.M)
        for ok in [d for d in defines if d.endswith('_OK')]:
            prefix = ok[:-2]
            group = [d for d in defines if d.startswith(prefix)]
            for nm in group:
                fam.setdefault(nm, group)
    return fam


def strip_comments(text):
    return re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)


def ret_replacement(name, binding, families):
    if name.startswith('SQLITE_'):
        if not binding:
            return None
        return 'SQLITE_ERROR' if name == 'SQLITE_OK' else 'SQLITE_OK'
    family = families.get(name)
    if not family or len(family) < 2:
        return None
    oks = [f for f in family if f.endswith('_OK')]
    if oks:
        if name == oks[0]:
            return next(f for f in family if f != name)
        return oks[0]
    return family[(family.index(name) + 1) % len(family)]


# ---- the mutants ---------------------------------------------------------------

Mutant = namedtuple('Mutant', 'file line col scope kind desc linetext occurrence start end replacement')


def code(text):
    return '`%s`' % text


def mutants_of(path, text, families):
    """Every mutant of one file (path is its name in the reports)."""
    toks = tokenize(text)
    partner = match_brackets(toks)
    scope = scopes(toks, partner)
    skip = excluded_spans(toks, partner)
    dims = array_dimensions(toks, partner)
    binding = 'SQLITE_' in text or 'sqlite3' in text
    lines = text.split('\n')
    raw = []   # (token index, kind, desc, start, end, replacement)

    def add(k, kind, desc, start, end, repl):
        raw.append((k, kind, desc, start, end, repl))

    n = len(toks)
    for k, t in enumerate(toks):
        if k in skip:
            continue
        if t.kind == 'op':
            x = t.text
            flip = {'<': '<=', '<=': '<', '>': '>=', '>=': '>', '==': '!=', '!=': '=='}
            if x in flip and is_binary(toks, k):
                add(k, 'ror', '%s → %s' % (code(x), code(flip[x])), t.start, t.end, flip[x])
            if x in ('+', '-') and is_binary(toks, k):
                y = '-' if x == '+' else '+'
                add(k, 'aor', '%s → %s' % (code(x), code(y)), t.start, t.end, y)
            if x in ('+=', '-='):
                y = '-=' if x == '+=' else '+='
                add(k, 'aor', '%s → %s' % (code(x), code(y)), t.start, t.end, y)
            if x in ('-', '/', '%', '<<', '>>', '<', '<=', '>', '>=') and is_binary(toks, k):
                prec = PRECEDENCE[x]
                s = operand_start(toks, k - 1, partner)
                e = operand_end(toks, k + 1, partner)
                if s is not None and e is not None and bounded_before(toks, s, prec) \
                        and bounded_after(toks, e, prec) and not any(j in skip for j in (s, e)):
                    left = text[toks[s].start:toks[k - 1].end]
                    right = text[toks[k + 1].start:toks[e].end]
                    if left != right and '\n' not in left + right:
                        add(k, 'swap', 'swap the operands of %s' % code(x), toks[s].start, toks[e].end,
                            '%s %s %s' % (right, x, left))
        elif t.kind == 'num':
            m = INT_RE.match(t.text)
            if m and k not in dims:
                digits, suffix = m.groups()
                value = int(digits, 16) if digits[:2].lower() == '0x' else int(digits)
                fmt = (lambda v: ('0x%X' % v) + suffix) if digits[:2].lower() == '0x' else \
                    (lambda v: '%d%s' % (v, suffix))
                add(k, 'const', '%s → %s' % (code(t.text), code(fmt(value + 1))), t.start, t.end,
                    fmt(value + 1))
                if value > 0:
                    add(k, 'const', '%s → %s' % (code(t.text), code(fmt(value - 1))), t.start, t.end,
                        fmt(value - 1))
        elif t.kind == 'id':
            if t.text in ('if', 'while') and k + 1 < n and toks[k + 1].text == '(' and (k + 1) in partner:
                close = partner[k + 1]
                inner_s, inner_e = toks[k + 1].end, toks[close].start
                cond = text[inner_s:inner_e]
                if cond.strip() not in ('0', '1'):
                    add(k, 'cond', '%s (…) → %s (0)' % (t.text, t.text), inner_s, inner_e, '0')
                    if t.text == 'if':
                        add(k, 'cond', 'if (…) → if (1)', inner_s, inner_e, '1')
            if t.text == 'return' and k + 2 < n and toks[k + 2].text == ';' and toks[k + 1].kind == 'id':
                name = toks[k + 1].text
                repl = None
                if name == 'rc' and binding:
                    repl = 'SQLITE_OK'
                elif re.match(r'^[A-Z][A-Z0-9_]+$', name):
                    repl = ret_replacement(name, binding, families)
                if repl:
                    v = toks[k + 1]
                    add(k + 1, 'ret', 'return %s → return %s' % (code(name), code(repl)), v.start, v.end,
                        repl)

    out = []
    seen = {}
    for k, kind, desc, start, end, repl in raw:
        t = toks[k]
        line_no = t.line
        line_text = lines[line_no - 1]
        stripped = line_text.strip()
        indent = len(line_text) - len(line_text.lstrip())
        line_start = text.rfind('\n', 0, t.start) + 1
        col = t.start - line_start - indent
        key = (scope[k], stripped, col, desc)
        seen[key] = seen.get(key, 0) + 1
        out.append(Mutant(path, line_no, col, scope[k], kind, desc, stripped, seen[key], start, end, repl))
    # The occurrence is only part of the key where it is needed.
    counts = {}
    for m in out:
        counts[(m.scope, m.linetext, m.col, m.desc)] = counts.get((m.scope, m.linetext, m.col, m.desc), 0) + 1
    return [m._replace(occurrence=m.occurrence if counts[(m.scope, m.linetext, m.col, m.desc)] > 1 else 0)
            for m in out]


def apply(text, m):
    return text[:m.start] + m.replacement + text[m.end:]


def where(m):
    """The key's place part: @column, and /occurrence when needed."""
    return '@%d%s' % (m.col, '/%d' % m.occurrence if m.occurrence else '')


def key_line(m):
    """The mutant's key as one line, the form of tests/mutate_equivalent.txt."""
    return '%s | %s | %s %s | %s' % (m.file, m.scope or '(file)', where(m), m.desc, m.linetext)
