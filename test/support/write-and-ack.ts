// Child process for the durability test: commits rows one by one and acknowledges each on
// stdout only after its transaction has committed, until it is killed.
import { openDatabase } from '../../src/storage/create-database.ts';

const path = process.argv[2] ?? '';
const handle = openDatabase({ kind: 'sqlite', path });
for (let i = 0; ; i++) {
  await handle.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('settings')
      .values({ key: `k${i}`, value: String(i) })
      .execute();
  });
  process.stdout.write(`ack ${i}\n`);
}
