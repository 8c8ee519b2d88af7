#!/usr/bin/env python3
"""
mutate.py: mutation testing of growthops' C (ext/): are the tests able to
fail?

    tests/mutate.py [--builddir DIR] [--sample N] [--seed S] [--jobs J]
                    [--files ext/kpi.c ext/core/kpi_core.c ...] [--list]
    make mutate                      # every mutant of ext/, from a build folder
    make mutate MUTATE_ARGS='--sample 200'

Each mutant (tests/mutants.py says which changes are made) is one change
to one place of one file of ext/.  For each, one at a time, the script
compiles the file (or, for a header, every file that includes it), links
the module and the cmocka programs, and runs the fast tests that reach the
changed line, quickest first, until one fails:

- killed: a test failed (or crashed, or ran past its time limit: ten
  seconds or five times its normal time, whichever is longer);
- survived: every test that reaches the line passed; "not reached" when
  none reaches it;
- same code: the compiler made exactly the object it makes without the
  change (a change in code that is not compiled, or that the compiler
  proves means the same): equivalent by construction, left out of the
  score;
- did not compile: left out of the score.

The fast tests are the cmocka programs (tests/unit/), every example of
tests/oom/test_oom, one at a time, and tests/sql/*.test but the long ones
(random.test, concurrency.test, the ClickHouse tests); not the clients
(tests/clients/) nor the report in Chromium (tests/reports/).  Which test
reaches which line comes from one run of each under gcov first, so a
mutant runs only the tests that can see it.

Safe: the sources are copied into a scratch folder (--workdir, removed at
the end unless --keep) and mutated there only, never in place.
Deterministic: the mutants are enumerated in file order; --sample N takes
N of them with --seed S (default 1).  The results go to --out (default
mutate-out/ in the build folder): results.jsonl (one line per mutant, kept
across runs with --resume), survivors.txt and summary.txt.

Equivalent mutants: tests/mutate_equivalent.txt lists survivors that no
test can kill, each with the reason (see that file for its form).  The
score is killed / (killed + survived); the summary gives it also without
the listed equivalents.
"""
import argparse
import concurrent.futures
import glob
import hashlib
import json
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mutants as M  # noqa: E402

# Tests of tests/sql/ left out: they take tens of seconds or more, or need
# servers (docs/reliability.md).
LONG_SQL_TESTS = {'random', 'concurrency', 'clickhouse_answers', 'clickhouse_cluster'}
TIMEOUT_MIN = 10.0
TIMEOUT_FACTOR = 5.0


def log(*args):
    print(*args, flush=True)


# ---- the build -----------------------------------------------------------------

def makefile_vars(builddir):
    """The variables configure wrote into the build folder's Makefile."""
    out = {}
    with open(os.path.join(builddir, 'Makefile'), encoding='utf-8') as f:
        for line in f:
            m = re.match(r'^([A-Za-z_][A-Za-z0-9_]*) = (.*)$', line.rstrip('\n'))
            if m and m.group(1) not in out:
                out[m.group(1)] = m.group(2).strip()
    return out


def copy_sources(srcdir, dest):
    """The files of the source tree: git's list when it is a checkout (new
    files not yet committed included, what .gitignore names not)."""
    try:
        names = subprocess.run(['git', '-C', srcdir, 'ls-files', '-z', '--cached', '--others',
                                '--exclude-standard'], check=True,
                               capture_output=True).stdout.decode().split('\0')
        names = [n for n in names if n and os.path.isfile(os.path.join(srcdir, n))]
    except (OSError, subprocess.CalledProcessError):
        names = []
        for root, dirs, files in os.walk(srcdir):
            dirs[:] = [d for d in dirs if not d.startswith('.')]
            for f in files:
                names.append(os.path.relpath(os.path.join(root, f), srcdir))
    for n in names:
        os.makedirs(os.path.dirname(os.path.join(dest, n)) or dest, exist_ok=True)
        shutil.copy2(os.path.join(srcdir, n), os.path.join(dest, n))


class Build:
    """The module, the cmocka programs and test_oom, built from the copy in
    root/src into root/<variant>/ with plain compiler calls (faster than
    make and libtool for one file at a time)."""

    def __init__(self, root, conf, variant, coverage=False):
        self.root = root
        self.src = os.path.join(root, 'src')
        self.out = os.path.join(root, variant)
        self.conf = conf
        self.coverage = coverage
        opt = ['-O0', '--coverage'] if coverage else \
            [f for f in shlex.split(conf['CFLAGS']) if f != '-g' and not f.startswith('-g')]
        self.cc = shlex.split(conf['CC'])
        # The folder is left out of the objects, so that a mutant's object
        # compares byte for byte with the unmutated one of any copy.
        self.cflags = opt + ['-fPIC', '-DHAVE_CONFIG_H'] + \
            ([] if coverage else ['-ffile-prefix-map=%s=.' % self.src]) + \
            shlex.split(conf.get('ASSERT_CPPFLAGS', '')) + shlex.split(conf.get('SQLITE3_CFLAGS', '')) + \
            ['-I' + self.src, '-I' + os.path.join(self.src, 'ext'),
             '-I' + os.path.join(self.src, 'ext', 'core'), '-I' + os.path.join(self.src, 'ext', 'table')]
        self.unit_cflags = [f for f in opt if f != '--coverage'] + \
            ['-ffile-prefix-map=%s=.' % self.src] + shlex.split(conf.get('CMOCKA_CFLAGS', '')) + ['-I' + os.path.join(self.src, 'ext', 'core')]
        self.module_sources = sorted(os.path.relpath(p, self.src) for p in
                                     glob.glob(os.path.join(self.src, 'ext', '**', '*.c'), recursive=True))
        self.core_sources = [s for s in self.module_sources if s.startswith('ext/core/')]
        self.unit_sources = sorted(os.path.relpath(p, self.src) for p in
                                   glob.glob(os.path.join(self.src, 'tests', 'unit', 'test_*.c')))
        self.module = os.path.join(self.out, 'growthops.so')

    def obj(self, rel):
        return os.path.join(self.out, rel[:-2] + '.o')

    def program(self, rel):
        return os.path.join(self.out, rel[:-2])

    def compile(self, rel, dest=None):
        dest = dest or self.obj(rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        flags = self.unit_cflags if rel.startswith('tests/') else self.cflags
        cmd = self.cc + flags + ['-c', os.path.join(self.src, rel), '-o', dest]
        r = subprocess.run(cmd, capture_output=True, text=True)
        return r.returncode == 0, r.stderr

    def link_module(self, objs=None, dest=None):
        objs = objs or {}
        cmd = self.cc + (['--coverage'] if self.coverage else []) + ['-shared', '-o', dest or self.module] + \
            [objs.get(s, self.obj(s)) for s in self.module_sources] + ['-lm']
        return subprocess.run(cmd, capture_output=True, text=True).returncode == 0

    def link_unit(self, rel, objs=None, dest=None):
        objs = objs or {}
        dest = dest or self.program(rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        cmd = self.cc + (['--coverage'] if self.coverage else []) + ['-o', dest, objs.get(rel, self.obj(rel))] + \
            [objs.get(s, self.obj(s)) for s in self.core_sources] + \
            shlex.split(self.conf.get('CMOCKA_LIBS', '-lcmocka')) + ['-lm']
        return subprocess.run(cmd, capture_output=True, text=True).returncode == 0

    def build_all(self):
        for rel in self.module_sources + self.unit_sources:
            ok, err = self.compile(rel)
            if not ok:
                raise SystemExit('mutate: cannot compile %s:\n%s' % (rel, err))
        if not self.link_module():
            raise SystemExit('mutate: cannot link the module')
        for rel in self.unit_sources:
            if not self.link_unit(rel):
                raise SystemExit('mutate: cannot link %s' % rel)
        oom = os.path.join(self.src, 'tests', 'oom', 'test_oom.c')
        cmd = self.cc + ['-O2', '-o', os.path.join(self.out, 'test_oom'), oom] + \
            shlex.split(self.conf.get('SQLITE3_CFLAGS', '')) + \
            shlex.split(self.conf.get('SQLITE3_LIBS', '-lsqlite3')) + ['-ldl']
        if subprocess.run(cmd).returncode != 0:
            raise SystemExit('mutate: cannot build test_oom')

    def dependents(self):
        """For each header of ext/, the sources (module and cmocka) that
        include it, directly or not."""
        deps = {}
        for rel in self.module_sources + self.unit_sources:
            flags = self.unit_cflags if rel.startswith('tests/') else self.cflags
            flags = [f for f in flags if f != '--coverage']
            r = subprocess.run(self.cc + flags + ['-MM', os.path.join(self.src, rel)],
                               capture_output=True, text=True, check=True)
            for h in r.stdout.replace('\\\n', ' ').split(':', 1)[1].split():
                h = os.path.relpath(h, self.src) if os.path.isabs(h) else h
                h = os.path.normpath(h)
                if h.endswith('.h') and not h.startswith('..'):
                    deps.setdefault(h, []).append(rel)
        return deps


# ---- the tests -----------------------------------------------------------------

class Test:
    def __init__(self, name, argv, env=None):
        self.name = name
        self.argv = argv
        self.env = env or {}
        self.seconds = 0.0


def fast_tests(build, conf, only=None):
    src = build.src
    tests = []
    for rel in build.unit_sources:
        tests.append(Test(rel[:-2], ['{unit}', rel]))
    env = test_env(build, conf)
    listing = subprocess.run([os.path.join(build.out, 'test_oom')], capture_output=True, text=True,
                             env=dict(env, GROWTHOPS_OOM_LIST='1'))
    for ex in listing.stdout.split():
        tests.append(Test('tests/oom/test_oom:' + ex, ['{oom}'], {'GROWTHOPS_OOM_PAGES': ex}))
    for path in sorted(glob.glob(os.path.join(src, 'tests', 'sql', '*.test'))):
        base = os.path.basename(path)[:-5]
        if base in LONG_SQL_TESTS:
            continue
        tests.append(Test('tests/sql/%s.test' % base, [conf.get('TCLSH') or 'tclsh', path]))
    if only:
        pats = [re.compile(p) for p in only]
        tests = [t for t in tests if any(p.search(t.name) for p in pats)]
    return tests


def test_env(build, conf):
    env = dict(os.environ)
    env.update(GROWTHOPS_MODULE=build.module, GROWTHOPS_SRCDIR=build.src,
               GROWTHOPS_BUILDDIR=build.out, SQLITE3_SHELL=conf.get('SQLITE3_SHELL') or 'sqlite3')
    for v in ('GROWTHOPS_LONG_TESTS', 'GROWTHOPS_RANDOM_KNOWN', 'LD_PRELOAD'):
        env.pop(v, None)
    return env


def run_test(build, conf, test, scratch, timeout):
    """Runs one test against build; returns ('pass'|'fail'|'timeout', seconds)."""
    argv = list(test.argv)
    if argv[0] == '{unit}':
        argv = [build.program(argv[1])]
    elif argv[0] == '{oom}':
        argv = [os.path.join(build.out, 'test_oom')]
    env = test_env(build, conf)
    env.update(test.env)
    os.makedirs(scratch, exist_ok=True)
    start = time.monotonic()
    p = subprocess.Popen(argv, cwd=scratch, env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        rc = p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
        return 'timeout', time.monotonic() - start
    finally:
        try:
            os.killpg(p.pid, signal.SIGKILL)   # what the test left running
        except ProcessLookupError:
            pass
    return ('pass' if rc in (0, 77) else 'fail'), time.monotonic() - start


def coverage_of(cov, conf, tests, scratch):
    """Runs each test once under gcov: {test name: set of (file, line)} and
    the set of lines gcov knows (the executable ones)."""
    gcdas = lambda: glob.glob(os.path.join(cov.out, '**', '*.gcda'), recursive=True)
    reached, executable = {}, set()
    for i, t in enumerate(tests):
        for g in gcdas():
            os.remove(g)
        status, _ = run_test(cov, conf, t, scratch, 600)
        if status != 'pass':
            raise SystemExit('mutate: %s fails without a mutant (coverage build)' % t.name)
        lines = set()
        files = gcdas()
        if files:
            r = subprocess.run(['gcov', '--json-format', '--stdout'] + files, cwd=scratch,
                               capture_output=True, text=True)
            for doc in r.stdout.splitlines():
                doc = doc.strip()
                if not doc.startswith('{'):
                    continue
                for f in json.loads(doc).get('files', []):
                    path = f['file']
                    rel = os.path.relpath(path, cov.src) if os.path.isabs(path) else path
                    for ln in f.get('lines', []):
                        executable.add((rel, ln['line_number']))
                        if ln['count'] > 0:
                            lines.add((rel, ln['line_number']))
        reached[t.name] = lines
        if (i + 1) % 50 == 0:
            log('mutate: coverage, %d of %d tests' % (i + 1, len(tests)))
    return reached, executable


# ---- one mutant ----------------------------------------------------------------

class Worker:
    """A copy of the tree with its own objects, where one mutant at a time
    is made, built and tested; the mutant's module and programs are linked
    into mutant/, so the unmutated ones stay as they are."""

    def __init__(self, root, conf, base, deps):
        self.root = root
        self.conf = conf
        if not os.path.exists(root):
            shutil.copytree(base.root, root, symlinks=True,
                            ignore=shutil.ignore_patterns('cov', 'scratch*'))
        self.build = Build(root, conf, 'obj')
        self.deps = deps
        self.scratch = os.path.join(root, 'scratch')
        self.mutant_dir = os.path.join(root, 'mutant')

    def run(self, m, tests, timeout_of):
        b = self.build
        src_path = os.path.join(b.src, m.file)
        with open(src_path, encoding='utf-8') as f:
            original = f.read()
        units = [m.file] if m.file.endswith('.c') else self.deps.get(m.file, [])
        shutil.rmtree(self.mutant_dir, ignore_errors=True)
        objs = {}
        try:
            with open(src_path, 'w', encoding='utf-8') as f:
                f.write(M.apply(original, m))
            for rel in units:
                dest = os.path.join(self.mutant_dir, rel[:-2] + '.o')
                ok, _ = b.compile(rel, dest)
                if not ok:
                    return {'status': 'invalid'}
                if not same_object(dest, b.obj(rel)):
                    objs[rel] = dest
        finally:
            with open(src_path, 'w', encoding='utf-8') as f:
                f.write(original)
        if not objs:
            return {'status': 'same code'}
        view = Mutated(b, self.mutant_dir)
        if any(r.startswith('ext/') for r in objs):
            if not b.link_module(objs, view.module):
                return {'status': 'invalid'}
        else:
            view.module = b.module
        if any(r.startswith('ext/core/') or r.startswith('tests/') for r in objs):
            for rel in b.unit_sources:
                if not b.link_unit(rel, objs, os.path.join(self.mutant_dir, rel[:-2])):
                    return {'status': 'invalid'}
                view.relinked.add(rel)
        if not tests:
            return {'status': 'survived', 'tests': 0, 'not_reached': True}
        try:
            ran = 0
            for t in tests:
                status, secs = run_test(view, self.conf, t, self.scratch, timeout_of(t))
                ran += 1
                if status != 'pass':
                    return {'status': 'killed', 'by': t.name, 'timeout': status == 'timeout', 'tests': ran}
            return {'status': 'survived', 'tests': ran}
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)


class Mutated:
    """Where run_test finds a mutant's module and programs: those relinked
    in mutant/, the others of the build."""

    def __init__(self, build, mutant_dir):
        self.build = build
        self.src = build.src
        self.out = build.out
        self.dir = mutant_dir
        self.module = os.path.join(mutant_dir, 'growthops.so')
        self.relinked = set()

    def program(self, rel):
        if rel in self.relinked:
            return os.path.join(self.dir, rel[:-2])
        return self.build.program(rel)


def tree_hash(src, conf):
    """A digest of the copied tree and the compiler's settings: the times
    and coverage of a run are kept for the next while it is the same."""
    h = hashlib.sha1(json.dumps(conf, sort_keys=True).encode())
    for root, dirs, files in sorted(os.walk(src)):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(root, f)
            h.update(os.path.relpath(p, src).encode())
            with open(p, 'rb') as fh:
                h.update(hashlib.sha1(fh.read()).digest())
    return h.hexdigest()


def same_object(a, b):
    with open(a, 'rb') as fa, open(b, 'rb') as fb:
        return fa.read() == fb.read()


# ---- equivalents -------------------------------------------------------------------

def read_equivalents(path):
    """tests/mutate_equivalent.txt: {key line: reason}."""
    out = {}
    if not os.path.exists(path):
        return out
    key, reason = None, []
    with open(path, encoding='utf-8') as f:
        for line in f.read().split('\n') + ['']:
            if line.startswith('#'):
                continue
            if line and not line[0].isspace():
                if key:
                    out[key] = ' '.join(reason).strip()
                key, reason = normalize_key(line), []
            elif line.strip() and key:
                reason.append(line.strip())
            elif not line.strip() and key:
                out[key] = ' '.join(reason).strip()
                key, reason = None, []
    return out


def normalize_key(line):
    parts = [p.strip() for p in line.split(' | ', 4)]
    return ' | '.join(parts)


def mutant_id(m):
    return hashlib.sha1(M.key_line(m).encode()).hexdigest()[:12]


# ---- the run ------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description='Mutation testing of ext/.')
    ap.add_argument('--builddir', default='.', help='a configured build folder (default: .)')
    ap.add_argument('--srcdir', help="the sources (default: the build folder's srcdir)")
    ap.add_argument('--files', nargs='+', help='files of ext/ to mutate (default: every .c and .h)')
    ap.add_argument('--sample', type=int, help='only N mutants, drawn with --seed')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--jobs', '-j', type=int, default=1, help='mutants tested at once (default 1)')
    ap.add_argument('--tests', nargs='+', help='only the tests whose name matches one of these')
    ap.add_argument('--match', help='only the mutants whose key (see --list) matches this regular expression')
    ap.add_argument('--lines', help='only the mutants on these lines: N or N-M')
    ap.add_argument('--no-coverage', action='store_true',
                    help='run every test for every mutant, without the gcov run first '
                         '(quick with --tests and a few mutants)')
    ap.add_argument('--list', action='store_true', help='list the mutants and stop')
    ap.add_argument('--out', help='where the results go (default: BUILDDIR/mutate-out)')
    ap.add_argument('--resume', action='store_true', help='keep the results of mutants already run')
    ap.add_argument('--workdir', help='the scratch folder (default: a new one in $TMPDIR)')
    ap.add_argument('--keep', action='store_true', help='keep the scratch folder')
    args = ap.parse_args()

    builddir = os.path.abspath(args.builddir)
    conf = makefile_vars(builddir)
    srcdir = os.path.abspath(args.srcdir or os.path.join(builddir, conf.get('srcdir', '.')))
    started = time.time()

    if args.files:
        # Names relative to the sources, or paths from here that lead into them.
        files = [f if os.path.exists(os.path.join(srcdir, f)) or not os.path.exists(f)
                 else os.path.relpath(os.path.abspath(f), srcdir) for f in args.files]
    else:
        files = sorted(os.path.relpath(p, srcdir) for p in
                       glob.glob(os.path.join(srcdir, 'ext', '**', '*.[ch]'), recursive=True))
    texts = {f: open(os.path.join(srcdir, f), encoding='utf-8').read() for f in files}
    headers = glob.glob(os.path.join(srcdir, 'ext', 'core', '*.h'))
    families = M.code_families([open(h, encoding='utf-8').read() for h in headers])
    every = []
    for f in files:
        every.extend(M.mutants_of(f, texts[f], families))
    if args.match:
        every = [m for m in every if re.search(args.match, M.key_line(m))]
    if args.lines:
        lo, _, hi = args.lines.partition('-')
        every = [m for m in every if int(lo) <= m.line <= int(hi or lo)]
    chosen = every
    if args.sample and args.sample < len(every):
        chosen = sorted(random.Random(args.seed).sample(every, args.sample),
                        key=lambda m: (files.index(m.file), m.start, m.replacement))
    if args.list:
        for m in chosen:
            log('%s:%d %s' % (m.file, m.line, M.key_line(m)))
        log('%d mutants of %d in %d files' % (len(chosen), len(every), len(files)))
        return 0

    out = os.path.abspath(args.out or os.path.join(builddir, 'mutate-out'))
    os.makedirs(out, exist_ok=True)
    results_path = os.path.join(out, 'results.jsonl')
    done = {}
    if args.resume and os.path.exists(results_path):
        with open(results_path, encoding='utf-8') as f:
            for line in f:
                r = json.loads(line)
                done[r['id']] = r
    elif os.path.exists(results_path):
        os.remove(results_path)

    root = os.path.abspath(args.workdir) if args.workdir else tempfile.mkdtemp(prefix='growthops-mutate-')
    base_root = os.path.join(root, 'base')
    log('mutate: %d mutants (of %d in %d files), seed %d; scratch %s'
        % (len(chosen), len(every), len(files), args.seed, root))
    try:
        os.makedirs(base_root, exist_ok=True)
        copy_sources(srcdir, os.path.join(base_root, 'src'))
        shutil.copy(os.path.join(builddir, 'config.h'), os.path.join(base_root, 'src', 'config.h'))
        base = Build(base_root, conf, 'obj')
        base.build_all()
        deps = base.dependents()
        tests = fast_tests(base, conf, args.tests)

        cache_path = os.path.join(out, 'coverage.json')
        tree = tree_hash(os.path.join(base_root, 'src'), conf)
        cache = None
        if os.path.exists(cache_path):
            with open(cache_path, encoding='utf-8') as f:
                cache = json.load(f)
            if cache.get('tree') != tree or cache.get('tests') != [t.name for t in tests]:
                cache = None
        if args.no_coverage:
            log('mutate: %d tests; no coverage: every mutant runs them all' % len(tests))
            for t in tests:
                t.seconds = 0.0
            reached, executable = {}, set()
        elif cache:
            log('mutate: %d tests; their times and coverage from %s' % (len(tests), cache_path))
            for t in tests:
                t.seconds = cache['seconds'][t.name]
            reached = {n: {tuple(x) for x in v} for n, v in cache['reached'].items()}
            executable = {tuple(x) for x in cache['executable']}
        else:
            log('mutate: %d tests; their normal times' % len(tests))
            for t in tests:
                status, secs = run_test(base, conf, t, os.path.join(base_root, 'scratch'), 600)
                if status != 'pass':
                    raise SystemExit('mutate: %s fails without a mutant' % t.name)
                t.seconds = secs
            log('mutate: the tests take %.0f s in all; which lines each reaches (gcov)'
                % sum(t.seconds for t in tests))
            cov = Build(base_root, conf, 'cov', coverage=True)
            cov.build_all()
            reached, executable = coverage_of(cov, conf, tests, os.path.join(base_root, 'scratch-cov'))
            with open(cache_path, 'w', encoding='utf-8') as f:
                json.dump({'tree': tree, 'tests': [t.name for t in tests],
                           'seconds': {t.name: t.seconds for t in tests},
                           'reached': {n: sorted(v) for n, v in reached.items()},
                           'executable': sorted(executable)}, f)
        by_speed = sorted(tests, key=lambda t: t.seconds)

        def tests_for(m):
            if (m.file, m.line) in executable:
                return [t for t in by_speed if (m.file, m.line) in reached[t.name]]
            return by_speed

        def timeout_of(t):
            return max(TIMEOUT_MIN, TIMEOUT_FACTOR * t.seconds)

        todo = [m for m in chosen if mutant_id(m) not in done]
        log('mutate: %d mutants to run (%d kept from before)' % (len(todo), len(chosen) - len(todo)))
        workers = [Worker(os.path.join(root, 'w%d' % i), conf, base, deps) for i in range(max(1, args.jobs))]
        free = list(workers)
        lock = threading.Lock()
        results = dict(done)
        count = [0]

        def one(m):
            with lock:
                w = free.pop()
            try:
                t0 = time.monotonic()
                r = w.run(m, tests_for(m), timeout_of)
                r['seconds'] = round(time.monotonic() - t0, 2)
            finally:
                with lock:
                    free.append(w)
            r.update(id=mutant_id(m), file=m.file, line=m.line, key=M.key_line(m))
            with lock:
                results[r['id']] = r
                with open(results_path, 'a', encoding='utf-8') as f:
                    f.write(json.dumps(r, ensure_ascii=False) + '\n')
                count[0] += 1
                if r['status'] == 'survived' or count[0] % 100 == 0:
                    log('mutate: %d/%d %s %s:%d %s%s' % (count[0], len(todo), r['status'], m.file, m.line,
                                                         m.desc, ' (not reached)' if r.get('not_reached') else ''))
            return r

        pool = concurrent.futures.ThreadPoolExecutor(max_workers=len(workers))
        try:
            for _ in pool.map(one, todo):
                pass
        except KeyboardInterrupt:
            # Stop: the mutants under way finish, the others are dropped
            # (--resume goes on from there).
            log('mutate: interrupted; %s keeps what ran' % results_path)
            pool.shutdown(wait=True, cancel_futures=True)
            return 130
        pool.shutdown()

        equivalents = read_equivalents(os.path.join(srcdir, 'tests', 'mutate_equivalent.txt'))
        summary = summarize(chosen, results, equivalents, every, args, time.time() - started, out)
        log(summary)
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


def summarize(chosen, results, equivalents, every, args, seconds, out):
    counts = {}
    survivors, listed = [], []
    timeouts = 0
    by_file = {}
    for m in chosen:
        r = results[mutant_id(m)]
        s = r['status']
        counts[s] = counts.get(s, 0) + 1
        f = by_file.setdefault(m.file, [0, 0])
        if s == 'killed':
            f[0] += 1
            timeouts += bool(r.get('timeout'))
        if s == 'survived':
            f[1] += 1
            k = normalize_key(M.key_line(m))
            if k in equivalents:
                listed.append((m, r))
            else:
                survivors.append((m, r))
    killed, survived = counts.get('killed', 0), counts.get('survived', 0)
    scored = killed + survived
    lines = []
    lines.append('mutants: %d%s, in %d files; %.0f minutes'
                 % (len(chosen), '' if len(chosen) == len(every) else ' (a sample of %d, seed %d)'
                    % (len(every), args.seed), len({m.file for m in chosen}), seconds / 60))
    lines.append('killed: %d (%d of them by a time limit)' % (killed, timeouts))
    out_of_reach = sum(1 for m, r in listed
                       if equivalents[normalize_key(M.key_line(m))].lower().startswith('out of reach'))
    lines.append('survived: %d (%d listed as equivalent in tests/mutate_equivalent.txt, %d of them out of'
                 ' reach; %d not reached by any test)'
                 % (survived, len(listed), out_of_reach,
                    sum(1 for m, r in survivors + listed if r.get('not_reached'))))
    lines.append('same code as without the change (equivalent, not scored): %d' % counts.get('same code', 0))
    lines.append('did not compile (not scored): %d' % counts.get('invalid', 0))
    if scored:
        lines.append('score: %.1f%% killed (%d of %d)' % (100.0 * killed / scored, killed, scored))
        if scored - len(listed):
            lines.append('score without the listed equivalents: %.1f%% (%d of %d)'
                         % (100.0 * killed / (scored - len(listed)), killed, scored - len(listed)))
    lines.append('')
    lines.append('per file (killed, survived):')
    for f in sorted(by_file):
        k, s = by_file[f]
        lines.append('  %-28s %5d %5d  %5.1f%%' % (f, k, s, 100.0 * k / (k + s) if k + s else 100.0))
    with open(os.path.join(out, 'survivors.txt'), 'w', encoding='utf-8') as f:
        f.write('# Survivors not listed in tests/mutate_equivalent.txt (file:line, then the key)\n')
        for m, r in survivors:
            f.write('%s:%d%s\n%s\n\n' % (m.file, m.line, ' (not reached)' if r.get('not_reached') else '',
                                        M.key_line(m)))
    lines.append('')
    lines.append('survivors not listed as equivalent: %d (%s)' % (len(survivors),
                                                                  os.path.join(out, 'survivors.txt')))
    for m, r in survivors[:40]:
        lines.append('  %s:%d %s %s%s' % (m.file, m.line, M.where(m), m.desc,
                                          ' (not reached)' if r.get('not_reached') else ''))
    if len(survivors) > 40:
        lines.append('  ...')
    text = '\n'.join(lines)
    with open(os.path.join(out, 'summary.txt'), 'w', encoding='utf-8') as f:
        f.write(text + '\n')
    return text


if __name__ == '__main__':
    sys.exit(main())
