/* Stand-ins for the C library routines rtmem calls, for the bare (-nostdlib)
 * links of scripts/size-table.sh and scripts/path-bounds.sh: they are not
 * rtmem's code, so both scripts leave them out of what they count. */
void *memset(void *d, int c, unsigned int n);
void *memcpy(void *d, const void *s, unsigned int n);
void *memmove(void *d, const void *s, unsigned int n);

void *memset(void *d, int c, unsigned int n)
{
    unsigned char *p = d;
    while (n--) {
        *p++ = (unsigned char)c;
    }
    return d;
}

void *memcpy(void *d, const void *s, unsigned int n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    while (n--) {
        *p++ = *q++;
    }
    return d;
}

void *memmove(void *d, const void *s, unsigned int n)
{
    return memcpy(d, s, n); /* never reached at run time: these links are only measured */
}
