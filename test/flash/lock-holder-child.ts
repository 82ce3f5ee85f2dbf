// Run in a separate Node process by flash-file-lock.test.ts: takes the lock of a flash file, says so, and holds it until killed.
import { acquireFlashFileLock } from '../../src/ports/flash/flash-file-lock.js';

const lock = await acquireFlashFileLock(process.argv[2]!);
process.stdout.write('error' in lock ? `refused: ${lock.error}\n` : 'locked\n');
if ('error' in lock) process.exit(3);
setInterval(() => {}, 1 << 30);
