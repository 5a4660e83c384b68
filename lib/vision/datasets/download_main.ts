// Child-process entry of downloadVerifiedSync: reads one request (JSON, argv[2]), runs the async
// downloads, writes the results as JSON on stdout. Progress and status go to the inherited stderr.
// Not a user-facing CLI; see download_sync.ts for why it exists.
import { removeQuietly } from "../../io/atomic_write.js";
import { activeTempFiles, downloadVerified, type DownloadResult } from "./download.js";
import type { SyncDownloadRequest } from "./download_sync.js";

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    for (const tmp of activeTempFiles) removeQuietly(tmp);
    process.exit(130);
  });
}

const req = JSON.parse(process.argv[2]) as SyncDownloadRequest;
const results: DownloadResult[] = [];
for (const f of req.files) {
  results.push(await downloadVerified(f.remote, f.local, f.sha256, req.dir, { mirrors: req.mirrors, timeoutMs: req.timeoutMs }));
}
process.stdout.write(JSON.stringify(results));
