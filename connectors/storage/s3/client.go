package s3

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// maxBackoff caps the wait between retries, as Confluent's one day: the
// number of retries is what bounds a failing request.
const maxBackoff = 24 * time.Hour

// newClient builds the S3 client of s: explicit keys when set, else the
// default AWS credentials chain, which may do I/O (shared files, instance
// metadata) under ctx.
func newClient(ctx context.Context, s *settings) (*s3.Client, error) {
	opts := []func(*awsconfig.LoadOptions) error{
		awsconfig.WithRegion(s.region),
		awsconfig.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = s.retries + 1
				o.Backoff = jitterBackoff{base: s.backoff}
			})
		}),
	}
	if s.accessKeyID != "" {
		opts = append(opts, awsconfig.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(s.accessKeyID, s.secretKey.Value(), "")))
	}
	if s.proxy != nil {
		proxy := http.ProxyURL(s.proxy)
		opts = append(opts, awsconfig.WithHTTPClient(awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
			tr.Proxy = proxy
		})))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.UsePathStyle = s.pathStyle
		o.UseAccelerate = s.accelerate
		if !s.expectContinue {
			o.ContinueHeaderThresholdBytes = -1
		}
		if s.endpoint != "" {
			o.BaseEndpoint = aws.String(s.endpoint)
			// Many S3-compatible stores reject the streaming trailing
			// checksums the SDK sends to AWS by default.
			o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
			o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
		}
	}), nil
}

// jitterBackoff waits a random time up to base·2^(attempt-1), as
// Confluent's ExponentialDelayWithJitter.
type jitterBackoff struct{ base time.Duration }

func (b jitterBackoff) BackoffDelay(attempt int, _ error) (time.Duration, error) {
	if b.base <= 0 {
		return 0, nil
	}
	d := b.base << min(attempt-1, 30)
	if d <= 0 || d > maxBackoff {
		d = maxBackoff
	}
	return time.Duration(rand.Int64N(int64(d)) + 1), nil
}

// checkBucket fails when the bucket is missing or out of reach, as
// Confluent's task does at start: better than failing at the first upload.
func checkBucket(ctx context.Context, c *s3.Client, s *settings) error {
	_, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(s.bucket)})
	if err == nil {
		return nil
	}
	var nf *types.NotFound
	var nsb *types.NoSuchBucket
	var api smithy.APIError
	var resp *awshttp.ResponseError
	switch {
	case errors.As(err, &nf), errors.As(err, &nsb),
		errors.As(err, &api) && api.ErrorCode() == "NoSuchBucket",
		errors.As(err, &resp) && resp.HTTPStatusCode() == http.StatusNotFound:
		return fmt.Errorf("S3 bucket %q (%s) does not exist at %s", s.bucket, KeyBucket, s.where())
	}
	return fmt.Errorf("check S3 bucket %q at %s: %w", s.bucket, s.where(), err)
}

// where names the store in messages.
func (s *settings) where() string {
	if s.endpoint != "" {
		return s.endpoint
	}
	return "AWS region " + s.region
}

// checkCustomerKey checks an SSE-C key as S3 will: base64 of 32 bytes.
func checkCustomerKey(k string) error {
	b, err := base64.StdEncoding.DecodeString(k)
	if err != nil {
		return fmt.Errorf("not base64: %w", err)
	}
	if len(b) != 32 {
		return fmt.Errorf("want a 256-bit key, got %d bits", len(b)*8)
	}
	return nil
}

// customerKeyMD5 is the SSE-C key digest S3 wants with every request.
func customerKeyMD5(k string) string {
	b, _ := base64.StdEncoding.DecodeString(k)
	sum := md5.Sum(b)
	return base64.StdEncoding.EncodeToString(sum[:])
}
