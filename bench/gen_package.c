/* gen_package.c: writes a large synthetic but valid cluster package for the benchmarks:
 * N actors with coordinates and sectors, M flows between actors and boundary nodes.
 * Deterministic (fixed seed). Usage: gen_package DIR ACTORS FLOWS */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static unsigned long long state = 88172645463325252ULL;
static unsigned long long next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: gen_package DIR ACTORS FLOWS\n");
		return 2;
	}
	const char *dir = argv[1];
	long actors = atol(argv[2]), flows = atol(argv[3]);
	char path[4096];
	mkdir(dir, 0777);
	snprintf(path, sizeof(path), "%s/cluster.json", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return 1;
	fprintf(
	    f, "{\"eic_format\": 1, \"id\": \"bench\", \"name\": \"Synthetic benchmark cluster\",\n"
	       " \"country\": \"FI\", \"currency\": \"EUR\", \"catalogue\": \"default\",\n"
	       " \"periods\": [{\"id\": \"2023\", \"start\": \"2023-01-01\", \"end\": "
	       "\"2023-12-31\"}]}\n");
	fclose(f);
	static const char *sectors[] = {"1610", "1061", "0145", "3510",
	                                "2394", "1701", "2011", "3821"};
	static const char *kinds[] = {
	    "firm", "firm", "firm", "firm", "treatment_facility", "service_provider"};
	snprintf(path, sizeof(path), "%s/actors.csv", dir);
	f = fopen(path, "w");
	fprintf(f, "id,kind,name,sector,employees,lat,lon\n");
	for (long i = 0; i < actors; i++)
		fprintf(f, "a%ld,%s,Firm %ld,%s,%llu,%.5f,%.5f\n", i, kinds[next() % 6], i,
		        sectors[next() % 8], next() % 500,
		        60.0 + (double)(next() % 100000) / 20000.0,
		        21.0 + (double)(next() % 100000) / 10000.0);
	fclose(f);
	static const char *materials[] = {"wood_chips", "bark", "rice_husk", "coal_fly_ash",
	                                  "steam"};
	static const char *units[] = {"t", "t", "t/yr", "kg", "GJ"};
	static const char *bounds[] = {"boundary:supply_market", "boundary:product_market",
	                               "boundary:landfill", "boundary:atmosphere"};
	snprintf(path, sizeof(path), "%s/flows.csv", dir);
	f = fopen(path, "w");
	fprintf(f, "id,from,to,material,quantity,unit,period,rel_sd,quality\n");
	for (long i = 0; i < flows; i++) {
		long a = (long)(next() % (unsigned long long)actors);
		long b = (long)(next() % (unsigned long long)actors);
		if (b == a)
			b = (a + 1) % actors;
		int m = (int)(next() % 5);
		int kind = (int)(next() % 4);
		char from[32], to[32];
		snprintf(from, sizeof(from), "a%ld", a);
		if (kind == 0)
			snprintf(from, sizeof(from), "%s", bounds[0]);
		if (kind == 1)
			snprintf(to, sizeof(to), "%s", bounds[1 + next() % 3]);
		else
			snprintf(to, sizeof(to), "a%ld", b);
		fprintf(f, "f%ld,%s,%s,%s,%llu.%02llu,%s,2023,0.1,estimated\n", i, from, to,
		        materials[m], next() % 10000, next() % 100, units[m]);
	}
	fclose(f);
	return 0;
}
