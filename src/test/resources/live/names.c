/* Maps four files in the directory argv[1] whose names strace escapes: UTF-8 (café.txt), quotes,
 * angle brackets (the -y decoration's own delimiters) and a byte that is not UTF-8. They stay
 * mapped until exit, so every later snapshot lists them. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2 || chdir(argv[1]) != 0) {
    return 2;
  }
  const char *names[] = {"caf\xc3\xa9.txt", "q\"uo'te.txt", "<x>.txt", "bad\xff.txt"};
  for (int i = 0; i < 4; i++) {
    int fd = open(names[i], O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, "hello\n", 6) != 6) {
      return 1;
    }
    if (mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED) {
      return 1;
    }
    close(fd);
  }
  return 0;
}
