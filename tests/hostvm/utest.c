/* SPDX-License-Identifier: MIT */
/*
 * utest: runs one test case of the Linux usbtest driver on a device it is bound to, the way the
 * kernel's tools/usb/testusb does (USBDEVFS_IOCTL with USBTEST_REQUEST on interface 0).
 * Built static for the test VM's initramfs (tests/hostvm/prepare.sh).
 *
 *   utest /dev/bus/usb/BBB/DDD TEST [ITERATIONS [LENGTH [VARY [SGLEN]]]]
 *
 * Prints one line "usbtest T<n>: PASS|FAIL|SKIP ..." and exits 0 (passed), 1 (failed) or
 * 2 (the driver does not support this test on this device: EOPNOTSUPP).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/types.h>
#include <linux/usbdevice_fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* The parameter block of drivers/usb/misc/usbtest.c (its 32-bit-time layout, which the
 * driver accepts on every architecture). */
struct usbtest_param {
	__u32 test_num;
	__u32 iterations;
	__u32 length;
	__u32 vary;
	__u32 sglen;
	__s32 duration_sec; /* out: how long the test took */
	__s32 duration_usec;
};

#define USBTEST_REQUEST _IOWR('U', 100, struct usbtest_param)

static __u32 arg(int argc, char **argv, int i, __u32 dflt)
{
	return argc > i ? (__u32)strtoul(argv[i], NULL, 0) : dflt;
}

int main(int argc, char **argv)
{
	struct usbtest_param p;
	struct usbdevfs_ioctl req;
	int fd, rc, e;

	if (argc < 3) {
		fprintf(stderr, "usage: %s /dev/bus/usb/BBB/DDD TEST [ITER [LEN [VARY [SGLEN]]]]\n",
		        argv[0]);
		return 1;
	}
	memset(&p, 0, sizeof(p));
	p.test_num = arg(argc, argv, 2, 0);
	p.iterations = arg(argc, argv, 3, 1000);
	p.length = arg(argc, argv, 4, 1024);
	p.vary = arg(argc, argv, 5, 512);
	p.sglen = arg(argc, argv, 6, 32);

	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		printf("usbtest T%u: FAIL cannot open %s: %s\n", p.test_num, argv[1],
		       strerror(errno));
		return 1;
	}
	req.ifno = 0;
	req.ioctl_code = USBTEST_REQUEST;
	req.data = &p;
	rc = ioctl(fd, USBDEVFS_IOCTL, &req);
	e = errno;
	close(fd);
	if (rc < 0 && e == EOPNOTSUPP) {
		printf("usbtest T%u: SKIP (not supported on this device)\n", p.test_num);
		return 2;
	}
	if (rc < 0) {
		printf("usbtest T%u: FAIL errno %d (%s) iterations %u length %u vary %u sglen %u\n",
		       p.test_num, e, strerror(e), p.iterations, p.length, p.vary, p.sglen);
		return 1;
	}
	printf("usbtest T%u: PASS %d.%06ds iterations %u length %u vary %u sglen %u\n", p.test_num,
	       p.duration_sec, p.duration_usec, p.iterations, p.length, p.vary, p.sglen);
	return 0;
}
