/*
 * Makes many short calls (getppid), then waits until its standard input ends: what a live run's
 * timeline holds meanwhile is what memtrace shows while a program waits.
 */
#include <unistd.h>

int main(void) {
  for (int i = 0; i < 400; i++) {
    getppid();
  }
  char c;
  while (read(0, &c, 1) > 0) {
  }
  return 0;
}
