# language: zh-CN
功能: 证书状态：暂扣、恢复、撤销，扫码即见，离线凭状态列表核实
  Record lifecycle: an issuer suspends, reinstates or revokes what it issued, with a reason;
  an employer's scan shows the change at once; an offline verifier reads the issuer's signed
  status lists, and without them says it could not check the status.

  青浦区人社局为王建华签发了职称证书。发现材料造假后撤销，用人单位扫码立即看到"已撤销"及原因；
  另一份证书因举报被暂扣，核查后恢复；离线核验员没有状态列表时只能回答"无法核实状态"，
  下载青浦区人社局的撤销与暂扣状态列表后就能报告状态；其他机构的令牌无权撤销这份证书。

  背景:
    假如 青浦区人社局已为王建华签发职称证书

  场景: 撤销后，用人单位扫码立即看到已撤销及原因
    当 青浦区人社局以原因 "obtained_by_fraud" 撤销该证书，说明 "评审材料造假"
    那么 响应状态码为 200
    当 用人单位扫码核验该证书
    那么 核验结果为无效
    而且 检查 "status" 的结果为 "failed"，代码为 "STATUS_REVOKED"
    而且 状态检查给出原因 "obtained_by_fraud"："以弄虚作假、贿赂等不正当手段取得" / "obtained by fraud, forgery or bribery"
    而且 青浦区人社局的撤销状态列表中该证书的位为 1，暂扣状态列表中为 0

  场景: 暂扣后恢复，扫码先见暂扣，后见有效
    当 青浦区人社局以原因 "under_investigation" 暂扣该证书
    那么 响应状态码为 200
    当 用人单位扫码核验该证书
    那么 检查 "status" 的结果为 "failed"，代码为 "STATUS_SUSPENDED"
    而且 状态检查给出原因 "under_investigation"："正在调查核实" / "under investigation"
    而且 青浦区人社局的撤销状态列表中该证书的位为 0，暂扣状态列表中为 1
    当 青浦区人社局以原因 "investigation_closed" 恢复该证书
    那么 响应状态码为 200
    当 用人单位扫码核验该证书
    那么 核验结果为有效，证书状态为 "active"
    而且 青浦区人社局的撤销状态列表中该证书的位为 0，暂扣状态列表中为 0
    当 青浦区人社局查看该证书的状态变更记录
    那么 记录依次为 "suspend"、"reinstate"，每条都写明操作者、时间与原因

  场景: 离线核验员没有状态列表时无法核实状态，下载状态列表后如实报告
    假如 离线核验员已从本登记系统下载信任列表
    当 离线核验员不连数据库，只凭信任列表核验该证书的二维码链接
    那么 离线核验命令退出码为 1
    而且 离线核验输出中检查 "status" 为 "unknown"，代码为 "STATUS_UNKNOWN"
    当 离线核验员以文字输出再核验一次该证书的二维码链接
    那么 离线核验命令退出码为 1
    而且 离线核验文字输出的第一行为 "STATUS NOT CHECKED / 无法核实状态"
    当 离线核验员下载青浦区人社局的撤销与暂扣状态列表
    而且 离线核验员凭信任列表与状态列表核验该证书的二维码链接
    那么 离线核验命令退出码为 0
    而且 离线核验输出中检查 "status" 为 "passed"，代码为 "STATUS_ACTIVE"，来源为 "status-list"
    当 青浦区人社局以原因 "under_investigation" 暂扣该证书
    而且 离线核验员下载青浦区人社局的撤销与暂扣状态列表
    而且 离线核验员凭信任列表与状态列表核验该证书的二维码链接
    那么 离线核验命令退出码为 1
    而且 离线核验输出中检查 "status" 为 "failed"，代码为 "STATUS_SUSPENDED"，来源为 "status-list"

  场景: 其他机构的令牌不能撤销这份证书
    当 吴江区人社局用自己的令牌以原因 "issued_in_error" 撤销该证书
    那么 响应状态码为 403
    而且 错误代码为 "RECORD_NOT_YOURS"，附中英文说明
    当 用人单位扫码核验该证书
    那么 核验结果为有效，证书状态为 "active"
