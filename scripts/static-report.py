#!/usr/bin/env python3
"""The static memory plan of a firmware: every rtmem object declared with
rtmem/static.h's macros, its instance and its storage, with their sizes and
sections, in one table.

    scripts/static-report.py firmware.elf [--nm arm-none-eabi-nm]
    scripts/static-report.py --map firmware.map

ELF: reads `nm -S --format=sysv` (local symbols included). The macros name
the storage <name>__rtm_<kind>_mem and the start-up record <name>__rtm_rec
(section rtm_static_init); the instance is <name>. heap_1 has no record: it
is initialised at link time. heap_3 owns no storage (the C library's heap)
and is not listed.

Linker map (GNU ld -Map): needs -fdata-sections, which names each object's
input section after it (.bss.<symbol>); storage placed in a section of its
own (the _IN macros) keeps that section's name and cannot be told apart
there, so it is listed only from the ELF.
"""
import argparse
import re
import shutil
import subprocess
import sys

STORAGE = re.compile(r'^(?P<name>[A-Za-z_]\w*?)__rtm_(?P<kind>[a-z0-9]+)_mem$')
RECORD = re.compile(r'^(?P<name>[A-Za-z_]\w*?)__rtm_rec$')


class Sym:
    def __init__(self, name, addr, size, section):
        self.name, self.addr, self.size, self.section = name, addr, size, section


def from_elf(path, nm):
    out = subprocess.run([nm, '-S', '--format=sysv', path], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f'static-report: {nm} failed: {out.stderr.strip()}')
    syms = {}
    for line in out.stdout.splitlines():
        f = [x.strip() for x in line.split('|')]
        if len(f) < 7 or not f[1] or f[3] not in ('OBJECT', ''):
            continue
        try:
            addr, size = int(f[1], 16), int(f[4], 16) if f[4] else 0
        except ValueError:
            continue
        syms.setdefault(f[0], Sym(f[0], addr, size, f[6]))
    return syms


def from_map(path):
    """Input sections .<out>.<symbol> (with -fdata-sections) as symbols."""
    syms = {}
    out_sec = None
    pending = None
    entry = re.compile(r'^ (?P<in>\S+)(?:\s+0x(?P<addr>[0-9a-f]+)\s+0x(?P<size>[0-9a-f]+)\s+\S.*)?$')
    cont = re.compile(r'^\s+0x(?P<addr>[0-9a-f]+)\s+0x(?P<size>[0-9a-f]+)\s+\S')
    with open(path) as f:
        for line in f:
            line = line.rstrip('\n')
            m = re.match(r'^(\.?[A-Za-z_][\w.]*)\s', line + ' ')
            if m and not line.startswith(' '):
                out_sec = m.group(1)
                pending = None
                continue
            if pending is not None:
                c = cont.match(line)
                pending, name = None, pending
                if c:
                    add_map_sym(syms, name, int(c['addr'], 16), int(c['size'], 16), out_sec)
                    continue
            e = entry.match(line)
            if e and out_sec is not None:
                if e['addr'] is None:
                    pending = e['in']
                else:
                    add_map_sym(syms, e['in'], int(e['addr'], 16), int(e['size'], 16), out_sec)
    return syms


def add_map_sym(syms, in_sec, addr, size, out_sec):
    for prefix in ('.bss.', '.data.', '.rodata.', '.sbss.', '.sdata.'):
        if in_sec.startswith(prefix):
            name = in_sec[len(prefix):]
            syms.setdefault(name, Sym(name, addr, size, out_sec))
            return
    if in_sec == 'rtm_static_init':
        # records are not named in a map: count the bytes
        syms.setdefault('rtm_static_init', Sym('rtm_static_init', addr, 0, out_sec))
        syms['rtm_static_init'].size += size


def objects(syms):
    rows = []
    for s in syms.values():
        m = STORAGE.match(s.name)
        if not m:
            continue
        name, kind = m['name'], m['kind']
        inst = syms.get(name)
        rec = syms.get(name + '__rtm_rec')
        init = 'link time' if kind == 'heap1' else 'rtm_static_init_all'
        rows.append((name, kind, inst, s, init if kind == 'heap1' or rec is not None or
                     'rtm_static_init' in syms else init + ' (no record!)'))
    for s in syms.values():
        m = RECORD.match(s.name)
        if m and not any(r[0] == m['name'] for r in rows):
            rows.append((m['name'], 'init fn', None, None, 'rtm_static_init_all'))
    return sorted(rows, key=lambda r: (r[1], r[0]))


def table(rows):
    head = ('object', 'kind', 'instance', 'inst. section', 'storage', 'stor. section', 'address', 'init')
    body = []
    for name, kind, inst, mem, init in rows:
        body.append((name, kind,
                     f'{inst.size} B' if inst else '-', inst.section if inst else '-',
                     f'{mem.size} B' if mem else '-', mem.section if mem else '-',
                     f'0x{mem.addr:08x}' if mem else '-', init))
    w = [max(len(str(r[i])) for r in [head] + body) for i in range(len(head))]
    line = lambda r: '| ' + ' | '.join(str(c).ljust(w[i]) for i, c in enumerate(r)) + ' |'
    out = [line(head), '|' + '|'.join('-' * (x + 2) for x in w) + '|']
    out += [line(r) for r in body]
    per = {}
    for _, _, inst, mem, _ in rows:
        for s in (inst, mem):
            if s is not None:
                per[s.section] = per.get(s.section, 0) + s.size
    total = sum(per.values())
    out.append('')
    out.append(f'{len(rows)} objects, {total} bytes: ' +
               ', '.join(f'{sec} {n} B' for sec, n in sorted(per.items())))
    return '\n'.join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('elf', nargs='?')
    ap.add_argument('--map')
    ap.add_argument('--nm', default=None)
    a = ap.parse_args()
    if a.map:
        syms = from_map(a.map)
    elif a.elf:
        nm = a.nm or shutil.which('arm-none-eabi-nm') or 'nm'
        syms = from_elf(a.elf, nm)
    else:
        ap.error('an ELF or --map FILE')
    rows = objects(syms)
    if not rows:
        sys.exit('static-report: no rtmem object declared through rtmem/static.h found')
    print(table(rows))


if __name__ == '__main__':
    main()
