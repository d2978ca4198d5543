/* mmap anonymous and file mappings, then split, re-merge, fix over, remap and unmap them. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
int main(void)
{
    long pg = 4096;
    char *a = mmap(NULL, 16 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(a, 1, 16 * pg);
    mprotect(a + 4 * pg, 4 * pg, PROT_READ);          /* split in three */
    mprotect(a + 4 * pg, 4 * pg, PROT_READ | PROT_WRITE); /* merge back */
    mprotect(a + 2 * pg, 2 * pg, PROT_NONE);
    munmap(a + 10 * pg, 2 * pg);                      /* hole */
    munmap(a + pg, 12 * pg);                          /* spans several */
    /* a neighbour mapped right below an existing anonymous mapping merges with it */
    char *b = mmap(NULL, 8 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *c = mmap(b - 4 * pg, 4 * pg, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    c[0] = 1;
    /* a file, mapped shared and private, partly re-protected and unmapped */
    int fd = open("regions.dat", O_RDWR | O_CREAT | O_TRUNC, 0600);
    ftruncate(fd, 8 * pg);
    char *fs = mmap(NULL, 8 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    fs[0] = 'x';
    char *fp = mmap(NULL, 4 * pg, PROT_READ, MAP_PRIVATE, fd, 2 * pg);
    mprotect(fs + 2 * pg, pg, PROT_READ);
    munmap(fs + 6 * pg, 2 * pg);
    int fd2 = dup(fd);
    close(fd);
    char *again = mmap(fs + 6 * pg, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd2, 6 * pg);
    again[0] = 'y';
    /* MAP_FIXED over the middle of an anonymous mapping, with another protection */
    char *d = mmap(NULL, 6 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mmap(d + 2 * pg, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    /* growsdown and noreserve areas */
    char *g = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);
    char *n = mmap(NULL, 1 << 24, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    mprotect(n, 16 * pg, PROT_READ | PROT_WRITE);
    madvise(n + 4 * pg, 4 * pg, MADV_DONTNEED);
    madvise(n + 8 * pg, 4 * pg, MADV_DONTFORK);
    /* mremap: grow, move, fixed, dontunmap, shrink */
    char *r = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    r[0] = 1;
    r = mremap(r, 4 * pg, 64 * pg, MREMAP_MAYMOVE);
    char *dst = mmap(NULL, 32 * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    r = mremap(r, 64 * pg, 16 * pg, MREMAP_MAYMOVE | MREMAP_FIXED, dst + 8 * pg);
    char *k = mremap(r, 4 * pg, 4 * pg, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
    r = mremap(r, 16 * pg, 8 * pg, 0);
    mremap((void *)0x1000, pg, 2 * pg, 0);             /* fails */
    munmap(NULL, pg);                                  /* succeeds, nothing there */
    printf("%p %p %p %p %p %p %p\n", (void *)c, (void *)fp, (void *)g, (void *)k,
           (void *)again, (void *)n, (void *)r);
    unlink("regions.dat");
    return 0;
}
