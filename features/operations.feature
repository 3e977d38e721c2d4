# language: zh-CN
功能: 运维：以多个工作进程启动登记系统，检查就绪与监控指标
  Operations: an operator starts the registry with several worker processes over one
  database and Redis, checks that it is ready and reads its metrics; a partner's requests
  are spread over the workers, and every answer is the same.

  运维人员用 `registry serve --workers 2` 启动登记系统：两个工作进程共用同一个数据库和 Redis
  （生产环境为 PostgreSQL）。/readyz 检查数据库、签名密钥和 Redis；/metrics 只对本机或持有
  监控令牌的请求开放。每个回答都带有处理它的工作进程号（Registry-Worker 头）。

  场景: 运维人员以两个工作进程启动登记系统，伙伴的请求由另一个工作进程处理
    假如 运维人员以 2 个工作进程启动登记系统，共用本场景的数据库和 Redis
    当 运维人员请求 /readyz
    那么 登记系统已就绪：数据库、密钥和 Redis 均为 ok
    当 运维人员在本机请求 /metrics
    那么 指标中有按路由模板统计的请求数、延迟直方图和透明日志大小
    当 青浦人社局签发一份职称证书，嘉善的伙伴系统反复核验它
    那么 伙伴的核验由不止一个工作进程处理，每次核验结果都有效
    当 运维人员向登记系统发送 SIGTERM
    那么 登记系统在 30 秒的宽限期内正常退出
