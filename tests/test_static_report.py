#!/usr/bin/env python3
"""scripts/static-report.py on a Cortex-M4 example ELF: build
tests/target/target_static.c with arm-none-eabi-gcc (as run.sh does, with a
map file), run the report on the ELF and on the map, and check that every
object the example declares is listed with its kind, its storage size and
section, and how it is initialised.

usage: test_static_report.py SOURCE_DIR BUILD_DIR
"""
import glob
import os
import re
import subprocess
import sys

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
elf, mp = os.path.join(out, 'static-m4.elf'), os.path.join(out, 'static-m4.map')
cmd = ['arm-none-eabi-gcc', '-std=c11', '-Os', '-g', '-Wall', '-Wextra', '-Werror',
       '-mcpu=cortex-m4', '-mfpu=fpv4-sp-d16', '-mfloat-abi=hard', '-mthumb',
       '-ffunction-sections', '-fdata-sections', '-I' + src + '/include', '-I' + src + '/src',
       '-I' + src + '/tests/target', '-DRTMEM_CFG_PORT=RTMEM_PORT_CORTEX_M',
       '-Wl,--gc-sections', '-L' + src + '/tests/target', '--specs=nosys.specs', '-nostartfiles',
       '-T', src + '/tests/target/mps2-an386.ld', '-Wl,-Map=' + mp]
cmd += sorted(glob.glob(src + '/src/*.c')) + [src + '/src/port/port_cortex_m.c',
                                              src + '/tests/target/startup.c',
                                              src + '/tests/target/target_static.c', '-o', elf]
r = subprocess.run(cmd, capture_output=True, text=True)
if r.returncode != 0:
    sys.exit('build failed:\n' + r.stderr)

# object: (kind, storage bytes, storage section, init)
want = {
    'boot_heap': ('heap1', 2048, '.bss', 'link time'),
    'msg_heap': ('heap2', 1024, '.bss', 'rtm_static_init_all'),
    'app_heap': ('heap4', 8192, '.bss', 'rtm_static_init_all'),
    'big_heap': ('heap5', 4096, '.bss', 'rtm_static_init_all'),
    'rt_heap': ('tlsf', 16384, '.bss', 'rtm_static_init_all'),
    'dma_heap': ('tlsf', 4096, '.ram2', 'rtm_static_init_all'),
    'sample_pool': ('pool', None, '.bss', 'rtm_static_init_all'),
    'sample_queue': ('queue', 32, '.bss', 'rtm_static_init_all'),
    'board_init': ('init fn', None, '-', 'rtm_static_init_all'),
}
bad = 0


def rows_of(args):
    r = subprocess.run([sys.executable, src + '/scripts/static-report.py'] + args,
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit('report failed:\n' + r.stderr)
    print(r.stdout)
    rows = {}
    for line in r.stdout.splitlines():
        c = [x.strip() for x in line.strip('|').split('|')]
        if len(c) == 8 and c[0] not in ('object',) and not c[0].startswith('-'):
            rows[c[0]] = c
    return rows, r.stdout


def check(rows, text, objs, where):
    global bad
    if set(rows) != set(objs):
        print(f'FAIL {where}: objects {sorted(rows)} != {sorted(objs)}')
        bad += 1
    for name in objs:
        if name not in rows:
            continue
        kind, size, sec, init = want[name]
        c = rows[name]
        exp_size = f'{size} B' if size is not None else c[4]
        if (c[1], c[4], c[5], c[7]) != (kind, exp_size if kind != 'init fn' else '-', sec, init):
            print(f'FAIL {where}: {name}: {c}')
            bad += 1
        if kind not in ('init fn',) and not re.match(r'\d+ B$', c[2]):
            print(f'FAIL {where}: {name}: no instance size')
            bad += 1


rows, text = rows_of([elf])
check(rows, text, list(want), 'elf')
# pool storage: RTM_POOL_MEM_SIZE(32, 8, 4, bitmap) = 32 * 8 + 4
if rows.get('sample_pool', [''] * 8)[4] != '260 B':
    print('FAIL elf: sample_pool storage', rows.get('sample_pool'))
    bad += 1
rows, text = rows_of(['--map', mp])
check(rows, text, [n for n in want if n not in ('dma_heap', 'board_init')], 'map')
if bad:
    sys.exit(f'static-report: {bad} mismatches')
print('static-report: every object listed as declared')
