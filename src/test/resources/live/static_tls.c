/* A static binary: its TLS block comes from sbrk at the start of [heap], so the break is not
 * page-aligned when malloc first grows it. */
#include <stdlib.h>
#include <stdio.h>
int main(void){ char *p = malloc(300000); p[0]=1; free(p); puts("hi"); return 0; }
