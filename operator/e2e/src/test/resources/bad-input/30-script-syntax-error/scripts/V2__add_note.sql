ALTR TABEL orders ADD COLUMN note text;
