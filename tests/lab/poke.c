/*
 * poke: one access to a file, reporting what the kernel did, for the lab tests.
 *   poke pread FILE OFFSET   -> "ok" or the errno name (EIO)
 *   poke mmap FILE OFFSET    -> "ok" or "SIGBUS code=N lsb=M" (an mmap load of one byte)
 *   poke statx FILE          -> "dax" or "nodax" (STATX_ATTR_DAX)
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX 0x00200000
#endif

static sigjmp_buf back;
static volatile int bus_code, bus_lsb;

static void on_bus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	bus_code = si->si_code;
	bus_lsb = si->si_addr_lsb;
	siglongjmp(back, 1);
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return fprintf(stderr, "usage: poke pread|mmap FILE OFFSET | poke statx FILE\n"), 2;
	if (!strcmp(argv[1], "statx")) {
		struct statx st;
		if (statx(AT_FDCWD, argv[2], 0, STATX_BASIC_STATS, &st))
			return perror(argv[2]), 1;
		puts(st.stx_attributes & STATX_ATTR_DAX ? "dax" : "nodax");
		return 0;
	}
	if (argc < 4)
		return 2;
	off_t off = strtoll(argv[3], NULL, 0);
	int fd = open(argv[2], O_RDONLY);
	if (fd < 0)
		return perror(argv[2]), 1;
	if (!strcmp(argv[1], "pread")) {
		char c;
		ssize_t n = pread(fd, &c, 1, off);
		puts(n == 1 ? "ok" : n < 0 && errno == EIO ? "EIO" : strerror(errno));
		return 0;
	}
	off_t page = off & ~(off_t)4095;
	volatile char *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, page);
	if (p == MAP_FAILED)
		return perror("mmap"), 1;
	struct sigaction sa = { .sa_sigaction = on_bus, .sa_flags = SA_SIGINFO };
	sigaction(SIGBUS, &sa, NULL);
	if (sigsetjmp(back, 1)) {
		printf("SIGBUS code=%d lsb=%d\n", bus_code, bus_lsb);
		return 0;
	}
	(void)p[off - page];
	puts("ok");
	return 0;
}
