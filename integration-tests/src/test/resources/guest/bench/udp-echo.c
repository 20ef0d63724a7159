// SPDX-License-Identifier: GPL-2.0
/*
 * udp-echo - send every UDP datagram back to its sender, unchanged.
 *
 * The bench's round-trip target inside the guest and the payload of the
 * container test's image (built static so it runs FROM scratch).
 * usage: udp-echo [port [rcvbuf-bytes]]   (default 7, the system's buffer)
 * A receive buffer given is forced past net.core.rmem_max (needs root), so
 * a short stall of the echo loop does not drop what the kernel delivered.
 */
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* As a container's PID 1 the default SIGTERM action would be ignored. */
static void on_term(int sig)
{
	(void)sig;
	_exit(0);
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	static char buf[65536];
	int port = argc > 1 ? atoi(argv[1]) : 7;
	int rcvbuf = argc > 2 ? atoi(argv[2]) : 0;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	addr.sin_port = htons(port);
	addr.sin_addr.s_addr = htonl(INADDR_ANY);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		perror("udp-echo: bind");
		return 1;
	}
	if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
				     sizeof(rcvbuf)) < 0) {
		perror("udp-echo: SO_RCVBUFFORCE");
		return 1;
	}
	printf("udp-echo: listening on udp port %d\n", port);
	fflush(stdout);
	for (;;) {
		struct sockaddr_in peer;
		socklen_t len = sizeof(peer);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&peer, &len);

		if (n < 0)
			continue;
		sendto(fd, buf, n, 0, (struct sockaddr *)&peer, len);
	}
}
