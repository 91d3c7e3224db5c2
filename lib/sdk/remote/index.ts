export { connect, type ConnectOptions } from './connect.js';
