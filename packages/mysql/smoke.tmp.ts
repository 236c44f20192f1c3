import { MysqlBackend } from '@digests/mysql';

for (let i = 0; i < 3; i++) {
  const b = new MysqlBackend({ url: 'mysql://root@127.0.0.1:3306/test', tablePrefix: 'smoke_' });
  const t0 = Date.now();
  await b.migrate();
  console.log('migrate', Date.now() - t0);
  await b.close();
}
