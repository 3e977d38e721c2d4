# language: zh-CN
功能: 错误的请求：拒绝并说明原因，不泄露个人信息
  Bad requests are refused with a stable code and a message in Chinese and English; the
  answer never repeats an ID number.

  场景: 不带令牌的签发请求被拒绝
    当 有人不带令牌提交李思远的高级工程师职称签发申请
    那么 响应状态码为 401
    而且 错误代码为 "TOKEN_MISSING"
    而且 错误说明同时有中文和英文

  场景: 身份证号码的校验码写错，签发被拒绝
    当 联合评审委员会提交的申请中李思远身份证号码的校验码被写错
    那么 响应状态码为 422
    而且 错误代码为 "ID_NUMBER_INVALID"
    而且 错误指向 "/credential/credentialSubject/idNumber"，代码为 "ID_NUMBER_INVALID"
    而且 错误说明同时有中文和英文
    而且 响应中不含写错的身份证号码
