/*
 * Compiler attributes that tell static analysis what rtmem's allocating
 * functions are, in one place. Every allocator declaration in the public
 * headers carries them, so that `gcc -fanalyzer` (GCC 11 and later) reports,
 * in the application's own code, a block that leaks, a double free, a use
 * after free and a block given to the wrong deallocator (a pool block to a
 * heap's free), and plain compiles warn on a dropped result
 * (-Wunused-result) and on an obviously mismatched free (-Wmismatched-dealloc).
 *
 *   RTM_ALLOCATOR(dealloc, i)   returns a new block that `dealloc` releases,
 *                               the block being its argument number i (1-based;
 *                               rtm_heap4_free(h, p): 2). `dealloc` must be
 *                               declared before the allocator.
 *   RTM_REALLOCATOR(dealloc, i) the same for realloc-like functions (the block
 *                               holds the old contents, so no plain `malloc`).
 *   RTM_ALLOC_SIZE(...)         the argument(s) giving the size in bytes
 *                               (two: their product, as calloc).
 *   RTM_ALLOC_ALIGN(i)          argument i is the alignment of the result.
 *   RTM_DEALLOCATOR(i)          a deallocator of argument i (clang's analyzer
 *                               only; GCC learns it from the allocator).
 *
 * Clang has no malloc(dealloc, i); its static analyzer follows
 * ownership_returns/ownership_takes in its optimistic mode
 * (-analyzer-config unix.DynamicMemoryModeling:Optimistic=true), which
 * knows one class only, so mismatches between rtmem allocators are GCC's.
 * Other compilers, or RTMEM_NO_ATTRS defined: every macro is empty;
 * RTMEM_NO_ALLOC_SIZE drops only alloc_size (for code that reaches a block's
 * header on purpose, as white-box tests do). The attributes change no layout
 * and no library code, only what the compiler knows at the call sites.
 */
#ifndef RTMEM_ATTRS_H
#define RTMEM_ATTRS_H

#if defined(__has_attribute) && !defined(RTMEM_NO_ATTRS)
#define RTM_HAS_ATTR_(x) __has_attribute(x)
#else
#define RTM_HAS_ATTR_(x) 0
#endif

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11 && !defined(RTMEM_NO_ATTRS)
#define RTM_ATTR_DEALLOC_(d, i) __attribute__((malloc(d, i)))
#else
#define RTM_ATTR_DEALLOC_(d, i)
#endif

#if RTM_HAS_ATTR_(warn_unused_result)
#define RTM_ATTR_WUR_ __attribute__((warn_unused_result))
#else
#define RTM_ATTR_WUR_
#endif

#if RTM_HAS_ATTR_(malloc)
#define RTM_ATTR_MALLOC_ __attribute__((malloc))
#else
#define RTM_ATTR_MALLOC_
#endif

#if defined(__clang__) && RTM_HAS_ATTR_(ownership_returns)
#define RTM_ATTR_OWN_RET_ __attribute__((ownership_returns(malloc)))
#define RTM_DEALLOCATOR(i) __attribute__((ownership_takes(malloc, i)))
#else
#define RTM_ATTR_OWN_RET_
#define RTM_DEALLOCATOR(i)
#endif

#define RTM_ALLOCATOR(dealloc, i) \
    RTM_ATTR_MALLOC_ RTM_ATTR_DEALLOC_(dealloc, i) RTM_ATTR_OWN_RET_ RTM_ATTR_WUR_
#define RTM_REALLOCATOR(dealloc, i) RTM_ATTR_DEALLOC_(dealloc, i) RTM_ATTR_WUR_

#if RTM_HAS_ATTR_(alloc_size) && !defined(RTMEM_NO_ALLOC_SIZE)
#define RTM_ALLOC_SIZE(...) __attribute__((alloc_size(__VA_ARGS__)))
#else
#define RTM_ALLOC_SIZE(...)
#endif

#if RTM_HAS_ATTR_(alloc_align)
#define RTM_ALLOC_ALIGN(i) __attribute__((alloc_align(i)))
#else
#define RTM_ALLOC_ALIGN(i)
#endif

#endif /* RTMEM_ATTRS_H */
