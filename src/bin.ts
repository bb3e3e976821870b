// Process entry of the `sitrep` command (bin/sitrep.js runs the compiled copy in dist/).
import { main } from './cli.js';

// stdout closed early (`sitrep extract ... | head`): stop quietly instead of crashing on EPIPE
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

process.exitCode = await main(process.argv.slice(2));
