/** `verso backup | verify | restore`: one operation per file; see each file for how. */
export { backup, defaultBackupDir } from './backup.js';
export { restore } from './restore.js';
export { checkBackupDir, verifyBackup } from './verify.js';
