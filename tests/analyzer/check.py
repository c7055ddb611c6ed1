#!/usr/bin/env python3
"""Run `gcc -fanalyzer` over the samples in tests/analyzer/ and compare its
-Wanalyzer-* diagnostics with the "expect:" comments, both ways: every
expected diagnostic must be drawn on its line, and nothing else may be drawn
(so the *_clean.c samples must draw none). Then compile the mistake samples
again with RTMEM_NO_ATTRS, where the analyzer must see none of them: the
diagnostics come from rtmem/attrs.h, not from anything else.

usage: check.py CC INCLUDE_DIR... -- SAMPLE.c...
With CC a clang, its static analyzer runs instead (optimistic mode, which
follows the ownership attributes); it has no notion of which deallocator
belongs to which allocator, so the mismatch expectations are left out.
"""
import re
import subprocess
import sys

DIAG = re.compile(r'^(?P<file>[^:\s]+):(?P<line>\d+):\d+: warning: .*\[(?P<w>-Wanalyzer-[a-z-]+)\]$')
EXPECT = re.compile(r'expect: (-Wanalyzer-[a-z-]+)')
CLANG = re.compile(r'^(?P<file>[^:\s]+):(?P<line>\d+):\d+: warning: (?P<msg>.*) \[unix\.Malloc\]$')
CLANG_AS = {'Potential leak': '-Wanalyzer-malloc-leak',
            'Attempt to free released memory': '-Wanalyzer-double-free',
            'Use of memory after it is freed': '-Wanalyzer-use-after-free'}
CLANG_CANNOT = {'-Wanalyzer-mismatching-deallocation'}


def is_clang(cc):
    return 'clang' in cc.rsplit('/', 1)[-1]


def drawn_clang(cc, incs, sample, extra):
    cmd = [cc, '--analyze', '-Xclang', '-analyzer-config', '-Xclang',
           'unix.DynamicMemoryModeling:Optimistic=true', '-std=c11', sample, '-o', '/dev/null']
    cmd += ['-I' + i for i in incs] + extra
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f'analyzer: {" ".join(cmd)} failed:\n{r.stderr}')
    out = set()
    for ln in r.stderr.splitlines():
        m = CLANG.match(ln)
        if m:
            w = next((v for k, v in CLANG_AS.items() if m['msg'].startswith(k)), m['msg'])
            out.add((int(m['line']), w))
    return out


def drawn(cc, incs, sample, extra):
    if is_clang(cc):
        return drawn_clang(cc, incs, sample, extra)
    cmd = [cc, '-std=c11', '-fanalyzer', '-fdiagnostics-plain-output', '-c', sample,
           '-o', '/dev/null'] + ['-I' + i for i in incs] + extra
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f'analyzer: {" ".join(cmd)} failed:\n{r.stderr}')
    out = set()
    for ln in r.stderr.splitlines():
        m = DIAG.match(ln)
        if m:
            out.add((int(m['line']), m['w']))
    return out


def expected(sample):
    out = set()
    with open(sample) as f:
        for n, ln in enumerate(f, 1):
            for w in EXPECT.findall(ln):
                out.add((n, w))
    return out


def main():
    args = sys.argv[1:]
    sep = args.index('--')
    cc, incs, samples = args[0], args[1:sep], args[sep + 1:]
    bad = 0
    for s in samples:
        name = s.rsplit('/', 1)[-1]
        want, got = expected(s), drawn(cc, incs, s, [])
        if is_clang(cc):
            want = {(ln, w) for ln, w in want if w not in CLANG_CANNOT}
        for line, w in sorted(got & want):
            print(f'{name}:{line}: {w} (expected)')
        for line, w in sorted(want - got):
            print(f'FAIL {name}:{line}: {w} expected, not drawn')
            bad += 1
        for line, w in sorted(got - want):
            print(f'FAIL {name}:{line}: {w} drawn, not expected')
            bad += 1
        if not want and not got:
            print(f'{name}: no diagnostic (clean, as expected)')
        if want:
            off = drawn(cc, incs, s, ['-DRTMEM_NO_ATTRS'])
            if off:
                print(f'FAIL {name}: with RTMEM_NO_ATTRS still drew {sorted(off)}')
                bad += 1
    if bad:
        sys.exit(f'analyzer: {bad} mismatches')
    print(f'analyzer: {len(samples)} samples as expected')


if __name__ == '__main__':
    main()
