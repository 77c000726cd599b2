/* SPDX-License-Identifier: MIT */
/*
 * A main() for the harnesses when they are not linked with libFuzzer (gcc, coverage builds,
 * reproducing a crash on a machine without clang): runs LLVMFuzzerTestOneInput once per file
 * named on the command line, or per file in each directory named.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len);

static uint8_t input[1 << 20];

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: cannot open %s\n", path);
		return 1;
	}
	size_t n = fread(input, 1, sizeof(input), f);
	fclose(f);
	LLVMFuzzerTestOneInput(input, n);
	return 0;
}

static int run_dir(const char *dir, unsigned *count)
{
	DIR *d = opendir(dir);
	if (!d)
		return run_file(dir) == 0 ? (++*count, 0) : 1;
	struct dirent *e;
	char path[4096];
	int rc = 0;
	while ((e = readdir(d))) {
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			rc |= run_file(path);
			++*count;
		}
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned count = 0;
	int rc = 0;
	for (int i = 1; i < argc; i++)
		rc |= run_dir(argv[i], &count);
	printf("replay: %u inputs, no crash\n", count);
	return rc;
}
