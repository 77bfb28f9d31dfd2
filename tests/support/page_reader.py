"""`python -m tests.support.page_reader BASE_URL TOKEN REDIS_URL PAGE_SIZE [--async] [--start-at T]`: one
process reading every page of the flow-execution-contact listing through a Redis-shared rate-limit budget,
printing the number of items. Used by the three-process test and `make bench` (bench/benchmarks.py).

`--start-at T` waits until `time.time()` reaches T, so several processes start reading together once
their imports are done.
"""

from __future__ import annotations

import asyncio
import sys
import time

from hilos_client import AuthenticatedClient
from hilos_client.api.flows import list_flow_execution_contacts as operation


def main(argv: list[str]) -> int:
    base_url, token, redis_url, page_size = argv[:4]
    client = AuthenticatedClient(base_url=base_url, token=token, rate_limit_url=redis_url)
    if "--start-at" in argv:
        time.sleep(max(0.0, float(argv[argv.index("--start-at") + 1]) - time.time()))
    if "--async" in argv:

        async def read() -> int:
            return len([x async for x in operation.asyncio_all(client=client, page_size=int(page_size))])

        count = asyncio.run(read())
    else:
        count = sum(1 for _ in operation.sync_all(client=client, page_size=int(page_size)))
    print(count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
